import { readFile } from 'node:fs/promises';

/** A CloudFormation resource as `sls package` writes it. */
export interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
}

/** The compiled template: what `sls deploy` would hand to CloudFormation. */
export interface Template {
  readonly Resources: Record<string, Resource>;
  readonly Outputs?: Record<string, unknown>;
}

/** Reads `cloudformation-template-update-stack.json` from a `sls package --package <dir>` output. */
export async function readTemplate(packageDir: string): Promise<Template> {
  const text = await readFile(`${packageDir}/cloudformation-template-update-stack.json`, 'utf8');
  return JSON.parse(text) as Template;
}

/** The resources of one type, by logical id. */
export function resourcesOfType(template: Template, type: string): Record<string, Resource> {
  return Object.fromEntries(
    Object.entries(template.Resources).filter(([, resource]) => resource.Type === type),
  );
}

/** A resource's properties; throws naming the logical id when the template lacks it. */
export function propertiesOf(template: Template, logicalId: string): Record<string, unknown> {
  const resource = template.Resources[logicalId];
  if (resource === undefined) throw new Error(`the template has no resource ${logicalId}`);
  return resource.Properties ?? {};
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Renders the intrinsic functions the template uses into readable values, so tests can compare whole
 * properties: `{Ref: X}` → `"{X}"`, `{"Fn::GetAtt": [X, Arn]}` → `"{X.Arn}"`; `Fn::Join`, and
 * `Fn::Select`/`Fn::Split` over literal strings, are evaluated. Anything else is rendered field by field.
 */
export function render(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(render);
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [key] = keys as [string];
    const argument = value[key];
    if (key === 'Ref') return `{${String(argument)}}`;
    if (key === 'Fn::GetAtt' && Array.isArray(argument)) return `{${argument.join('.')}}`;
    if (key === 'Fn::Join' && Array.isArray(argument)) {
      const [delimiter, parts] = argument as [string, unknown[]];
      return parts.map((part) => String(render(part))).join(delimiter);
    }
    if (key === 'Fn::Split' && Array.isArray(argument)) {
      const [delimiter, source] = argument as [string, unknown];
      const rendered = render(source);
      if (typeof rendered === 'string') return rendered.split(delimiter);
    }
    if (key === 'Fn::Select' && Array.isArray(argument)) {
      const [index, list] = argument as [number, unknown];
      const rendered = render(list);
      if (Array.isArray(rendered)) return rendered[index];
    }
  }
  return Object.fromEntries(keys.map((key) => [key, render(value[key])]));
}
