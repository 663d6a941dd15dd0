import { InputError, isError } from '@backstage/errors';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import {
  APPLIED_KINDS,
  CapaValidationError,
  INPUT_LIMITS,
  kindInfo,
  type KubernetesObject,
} from '@capa-backstage/plugin-capa-common';
import fs from 'fs/promises';
import { Composer, Parser } from 'yaml';

/**
 * The kinds capa:apply accepts (the registry's applied kinds), as `apiVersion/kind`. Anything
 * else (RBAC, Secrets, workloads) is refused, so a template cannot use this action to write
 * arbitrary objects into a management cluster.
 */
const ACCEPTED = APPLIED_KINDS.map(k => `${k.apiVersion}/${k.kind}`);

/** The registry's facts of an object's kind when capa:apply accepts it. */
export function appliedKind(o: { apiVersion?: unknown; kind?: unknown }) {
  const info = kindInfo(
    typeof o.apiVersion === 'string' ? o.apiVersion : undefined,
    typeof o.kind === 'string' ? o.kind : undefined,
  );
  return info?.applyOrder === undefined ? undefined : info;
}

const MIB = INPUT_LIMITS.manifestBytes / (1024 * 1024);

function capError(path: string, message: string): CapaValidationError {
  return new CapaValidationError('capa:apply input', [{ path, message }]);
}

const together = (path: string) =>
  path === 'files' ? ' in all files together' : '';

function tooManyBytes(path: string, bytes: number): CapaValidationError {
  return capError(
    path,
    `must hold at most ${
      INPUT_LIMITS.manifestBytes
    } bytes (${MIB} MiB${together(path)}); it holds ${bytes}`,
  );
}

function tooManyObjects(path: string): CapaValidationError {
  return capError(
    path,
    `must hold at most ${
      INPUT_LIMITS.manifestObjects
    } objects (YAML documents${together(
      path,
    )}); apply a larger set in several steps`,
  );
}

/**
 * Parses a multi-document YAML stream into objects, naming the document of every problem, and
 * counts its documents (empty ones too). Stops parsing once the documents seen (with `before` from
 * earlier files) exceed the object cap.
 */
export function parseManifest(
  text: string,
  source: string,
  options: { capPath: string; before?: number } = { capPath: 'manifest' },
): { objects: KubernetesObject[]; documents: number } {
  const problems: string[] = [];
  const objects: KubernetesObject[] = [];
  let i = 0;
  // The composer yields one document at a time, so a stream of thousands is not parsed whole.
  for (const doc of new Composer().compose(new Parser().parse(text))) {
    i++;
    if ((options.before ?? 0) + i > INPUT_LIMITS.manifestObjects)
      throw tooManyObjects(options.capPath);
    const where = `${source} document ${i}`;
    if (doc.errors.length) {
      problems.push(
        `${where}: not valid YAML (${doc.errors[0].message.split('\n')[0]})`,
      );
      continue;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue; // an empty document, e.g. after a trailing ---
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`${where}: must be a Kubernetes object`);
      continue;
    }
    // Only what is checked below is trusted.
    const obj = value as {
      apiVersion?: unknown;
      kind?: unknown;
      metadata?: { name?: unknown; namespace?: unknown };
    };
    const info = appliedKind(obj);
    if (typeof obj.metadata?.name !== 'string' || !obj.metadata.name) {
      problems.push(`${where}: metadata.name is required`);
    } else if (!info) {
      problems.push(
        `${where}: ${String(obj.kind ?? '(no kind)')} ${String(
          obj.apiVersion ?? '(no apiVersion)',
        )} is not applied by capa:apply; it applies only ${ACCEPTED.join(
          ', ',
        )}`,
      );
    } else if (
      info.namespaced !==
      (typeof obj.metadata.namespace === 'string' &&
        obj.metadata.namespace !== '')
    ) {
      problems.push(
        `${where}: metadata.namespace ${
          info.namespaced
            ? `is required for ${info.kind}`
            : `must not be set: ${info.kind} is cluster-scoped`
        }`,
      );
    } else {
      objects.push(value as KubernetesObject);
    }
  }
  if (problems.length)
    throw new InputError(`Invalid manifests:\n- ${problems.join('\n- ')}`);
  return { objects, documents: i };
}

function order(objects: KubernetesObject[]): KubernetesObject[] {
  return objects
    .map((o, i) => ({
      o,
      i,
      rank: appliedKind(o)?.applyOrder ?? 0,
    }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map(x => x.o);
}

function cannotRead(file: string, e: unknown): InputError {
  return new InputError(
    `Invalid capa:apply input: cannot read ${file} (${
      isError(e) ? e.message : e
    })`,
  );
}

/**
 * The workspace files' texts, refused before they are read when together they hold more than
 * INPUT_LIMITS.manifestBytes.
 */
async function readFiles(
  workspacePath: string,
  files: string[],
): Promise<Array<{ text: string; source: string }>> {
  const paths = files.map(f => ({
    f,
    path: resolveSafeChildPath(workspacePath, f),
  }));
  const sizes = await Promise.all(
    paths.map(({ f, path }) =>
      fs.stat(path).then(
        s => s.size,
        e => {
          throw cannotRead(f, e);
        },
      ),
    ),
  );
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total > INPUT_LIMITS.manifestBytes) throw tooManyBytes('files', total);
  const texts = await Promise.all(
    paths.map(({ f, path }) =>
      fs.readFile(path, 'utf8').then(
        text => ({ text, source: f }),
        e => {
          throw cannotRead(f, e);
        },
      ),
    ),
  );
  // A file that grew after it was measured is measured again.
  const read = texts.reduce((a, t) => a + Buffer.byteLength(t.text), 0);
  if (read > INPUT_LIMITS.manifestBytes) throw tooManyBytes('files', read);
  return texts;
}

/**
 * The objects of the manifest or files given, checked and in apply order. The byte and object caps
 * (INPUT_LIMITS.manifestBytes and manifestObjects) are checked before any parsing beyond them.
 */
export async function readManifests(
  workspacePath: string,
  input: { manifest?: string; files?: string[] },
): Promise<KubernetesObject[]> {
  const { manifest, files } = input;
  if ((manifest === undefined) === (files === undefined)) {
    throw new InputError(
      'Invalid capa:apply input: give exactly one of manifest or files',
    );
  }
  let objects: KubernetesObject[];
  if (manifest !== undefined) {
    const bytes = Buffer.byteLength(manifest);
    if (bytes > INPUT_LIMITS.manifestBytes)
      throw tooManyBytes('manifest', bytes);
    objects = parseManifest(manifest, 'manifest').objects;
  } else {
    objects = [];
    let documents = 0;
    for (const { text, source } of await readFiles(workspacePath, files!)) {
      const parsed = parseManifest(text, source, {
        capPath: 'files',
        before: documents,
      });
      documents += parsed.documents;
      objects.push(...parsed.objects);
    }
  }
  if (objects.length === 0)
    throw new InputError(
      'Invalid capa:apply input: the manifests hold no object',
    );
  return order(objects);
}
