#!/usr/bin/env python3
"""An independent reader of a Delta table's JSON log, written from the protocol text alone.

It shares no code with libs/delta: it replays every NNNNNNNNNNNNNNNNNNNN.json commit in order,
checks each action against the protocol's required fields and types, checks every live data file
(exists, size as logged, Parquet magic at both ends), and prints the resulting state as JSON.
Exit status 1 with the reasons on stderr when the log breaks the protocol.
"""
import json
import os
import re
import sys
import urllib.parse

problems = []


def need(condition, message):
    if not condition:
        problems.append(message)


def main(root):
    log = os.path.join(root, "_delta_log")
    names = sorted(n for n in os.listdir(log) if re.fullmatch(r"\d{20}\.json", n))
    versions = [int(n[:20]) for n in names]
    need(versions == list(range(len(versions))), f"versions not contiguous from 0: {versions}")
    files, txns, protocol, metadata = {}, {}, None, None
    for name, version in zip(names, versions):
        with open(os.path.join(log, name), encoding="utf-8") as handle:
            lines = [line for line in handle.read().split("\n") if line.strip()]
        kinds = []
        for line in lines:
            action = json.loads(line)
            need(len(action) == 1, f"v{version}: a line holds {len(action)} actions")
            (kind, body), = action.items()
            kinds.append(kind)
            if kind == "protocol":
                need(isinstance(body.get("minReaderVersion"), int), f"v{version}: protocol.minReaderVersion")
                need(isinstance(body.get("minWriterVersion"), int), f"v{version}: protocol.minWriterVersion")
                protocol = body
            elif kind == "metaData":
                for field in ("id", "format", "schemaString", "partitionColumns", "configuration"):
                    need(field in body, f"v{version}: metaData.{field} missing")
                need(body.get("format", {}).get("provider") == "parquet", f"v{version}: format.provider")
                schema = json.loads(body["schemaString"])
                need(schema.get("type") == "struct", f"v{version}: schemaString is not a struct")
                metadata = body
            elif kind == "add":
                for field, kind_of in (("path", str), ("partitionValues", dict), ("size", int),
                                       ("modificationTime", int), ("dataChange", bool)):
                    need(isinstance(body.get(field), kind_of), f"v{version}: add.{field} {body.get(field)!r}")
                if "stats" in body:
                    stats = json.loads(body["stats"])
                    need(isinstance(stats.get("numRecords"), int), f"v{version}: add.stats.numRecords")
                files[urllib.parse.unquote(body["path"])] = body
            elif kind == "remove":
                need(isinstance(body.get("path"), str), f"v{version}: remove.path")
                need(isinstance(body.get("dataChange"), bool), f"v{version}: remove.dataChange")
                files.pop(urllib.parse.unquote(body["path"]), None)
            elif kind == "txn":
                need(isinstance(body.get("appId"), str), f"v{version}: txn.appId")
                need(isinstance(body.get("version"), int), f"v{version}: txn.version")
                txns[body["appId"]] = body["version"]
        if version == 0:
            need("protocol" in kinds and "metaData" in kinds, "v0 lacks protocol or metaData")
        need(kinds.count("metaData") <= 1 and kinds.count("protocol") <= 1, f"v{version}: repeated metaData/protocol")
        app_ids = [json.loads(line)["txn"]["appId"] for line in lines if '"txn"' in line[:8]]
        need(len(app_ids) == len(set(app_ids)), f"v{version}: two txn actions with one appId")
    records = 0
    for path, add in files.items():
        full = os.path.join(root, *path.split("/"))
        need(os.path.isfile(full), f"live file missing: {path}")
        if os.path.isfile(full):
            need(os.path.getsize(full) == add["size"], f"size of {path} is not {add['size']}")
            with open(full, "rb") as handle:
                head = handle.read(4)
                handle.seek(-4, os.SEEK_END)
                need(head == b"PAR1" and handle.read(4) == b"PAR1", f"{path} is not Parquet")
        records += json.loads(add.get("stats", '{"numRecords": 0}'))["numRecords"]
    print(json.dumps({
        "version": versions[-1] if versions else None,
        "protocol": protocol,
        "partitionColumns": metadata["partitionColumns"] if metadata else None,
        "schema": json.loads(metadata["schemaString"]) if metadata else None,
        "files": sorted(files),
        "numRecords": records,
        "txns": txns,
    }))
    if problems:
        sys.stderr.write("\n".join(problems) + "\n")
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1])
