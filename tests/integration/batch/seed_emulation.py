"""The seed project's batch emulation, as its user_posting_emulation.py posts: one record per request,
no API key, to <invoke-url>/topics/<user-id>.pin|geo|user, with the REST Proxy v2 JSON content type.

Only the source of the rows differs: the seed reads them from MySQL, this reads the same rows from an
NDJSON file of posts ({"pin": {...}, "geo": {...}, "user": {...}} per line). The request is the same:
method, headers and body. Uses requests when installed, else urllib with an identical request.

usage: python3 seed_emulation.py <invoke-url> <user-id> <posts.ndjson>
"""
import json
import sys

try:
    import requests
except ImportError:
    requests = None
    import urllib.error
    import urllib.request


def post(url, headers, payload):
    if requests is not None:
        response = requests.request("POST", url, headers=headers, data=payload)
        return response.status_code, response.text
    request = urllib.request.Request(url, data=payload.encode("utf-8"), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def run(invoke_url, user_id, posts_file):
    headers = {"Content-Type": "application/vnd.kafka.json.v2+json"}
    with open(posts_file, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            post_row = json.loads(line)
            for kind in ("pin", "geo", "user"):
                payload = json.dumps({"records": [{"value": post_row[kind]}]}, default=str)
                status, body = post(f"{invoke_url}/topics/{user_id}.{kind}", headers, payload)
                print(json.dumps({"kind": kind, "status": status, "body": json.loads(body)}))


if __name__ == "__main__":
    run(sys.argv[1], sys.argv[2], sys.argv[3])
