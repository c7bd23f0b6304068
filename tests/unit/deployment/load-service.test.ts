import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeploymentError, loadDeployment, loadService } from '../../../local/deployment';

// The deployment definition as osls resolves it, on small services written here: the variable forms
// pinlake uses, the ones it refuses rather than guess, and what the local stack refuses to model.

let dir: string;
const write = (name: string, text: string) => writeFileSync(join(dir, name), text);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pinlake-service-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SERVICE = `service: demo
params:
  default: { id: one, size: 128 }
  prod: { id: two }
provider:
  name: aws
  stage: \${opt:stage, 'dev'}
  environment: { NAME: "demo-\${param:id}-\${sls:stage}", SIZE: "\${param:size}" }
custom:
  bucket: \${self:service}-\${param:id}-\${aws:region}
functions: \${file(./functions.yml)}
resources:
  - Resources:
      Bucket: { Type: AWS::S3::Bucket, Properties: { BucketName: "\${self:custom.bucket}" } }
      Role:
        Type: AWS::IAM::Role
        Properties:
          Policies:
            - PolicyName: p
              PolicyDocument:
                Statement:
                  - { Effect: Allow, Action: s3:GetObject, Resource: { "Fn::Join": ["", [{ "Fn::GetAtt": [Bucket, Arn] }, "/*"]] } }
`;

describe('loadService and loadDeployment', () => {
  it('resolves params (the stage’s over the defaults), self, sls, aws and file variables as osls does', () => {
    // Prepare
    write('serverless.yml', SERVICE);
    write(
      'functions.yml',
      'f: { handler: functions/f.handler, role: Role, events: [{ schedule: { rate: "rate(1 hour)" } }] }\n',
    );

    // Act
    const dev = loadDeployment({ serviceDir: dir, stage: 'dev', region: 'eu-west-1' });
    const prod = loadDeployment({ serviceDir: dir, stage: 'prod', region: 'eu-west-1' });

    // Assess
    expect(dev.functions.f?.environment).toStrictEqual({ NAME: 'demo-one-dev', SIZE: '128' });
    expect(prod.functions.f?.environment).toStrictEqual({ NAME: 'demo-two-prod', SIZE: '128' });
    expect(prod.functions.f?.policies.p?.Statement[0]?.Resource).toBe('arn:aws:s3:::demo-two-eu-west-1/*');
    expect(prod.functions.f?.principalArn).toBe(
      'arn:aws:sts::000000000000:assumed-role/demo-prod-Role/demo-prod-f',
    );
  });

  it('refuses a variable form it does not resolve instead of passing it on', () => {
    // Prepare
    write('serverless.yml', SERVICE.replace(`\${param:size}`, `\${env:SIZE}`));
    write('functions.yml', 'f: { handler: functions/f.handler, role: Role }\n');

    // Act
    const load = () => loadService({ serviceDir: dir });

    // Assess
    expect(load).toThrow(DeploymentError);
    expect(load).toThrow(`unsupported variable \${env:SIZE}`);
  });

  it('refuses to model an event source it cannot run locally', () => {
    // Prepare
    write('serverless.yml', SERVICE);
    write(
      'functions.yml',
      'f: { handler: functions/f.handler, role: Role, events: [{ sqs: { arn: x } }] }\n',
    );

    // Act
    const load = () => loadDeployment({ serviceDir: dir });

    // Assess
    expect(load).toThrow('f: sqs events are not modelled by the local stack');
  });
});
