import { InputError } from '@backstage/errors';
import type { KubernetesObject } from '@capa-backstage/plugin-capa-common';
import type { KubernetesObject as ClientNodeObject } from '@kubernetes/client-node';
import { isDeepStrictEqual } from 'util';
import {
  Connection,
  plain,
  readObject,
  refOf,
  resolveKind,
} from './connection';
import { describeTarget, toBackstageError } from './errors';
import { ApplyOptions, ApplyResult, CAPA_FIELD_MANAGER } from './types';

/** Fields the server owns; sending them in an apply would be a precondition or an error. */
const SERVER_METADATA = [
  'resourceVersion',
  'uid',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
] as const;

/** The object without what changes on every write, to tell a dry run's "configured" from "unchanged". */
function comparable(obj: KubernetesObject): unknown {
  const { resourceVersion, managedFields, generation, ...metadata } =
    obj.metadata;
  return { ...obj, metadata };
}

/** The object with who owns which field, but not when they last wrote it. */
function owned(obj: KubernetesObject): unknown {
  const { resourceVersion, managedFields, ...metadata } = obj.metadata;
  const owners = (managedFields ?? []).map(({ time, ...entry }) => entry);
  return { ...obj, metadata: { ...metadata, managedFields: owners } };
}

/**
 * Server-side applies one object with the field manager {@link CAPA_FIELD_MANAGER} (or
 * `options.fieldManager`). Reads the object first, to report whether it was created, configured
 * or left unchanged (a dry run compares the answer with the stored object).
 */
export async function applyObject(
  c: Connection,
  object: KubernetesObject,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const ref = refOf(c.cluster, object, 'apply');
  const ctx = { cluster: c.cluster, action: 'apply', ...ref };
  const fieldManager = options.fieldManager ?? CAPA_FIELD_MANAGER;
  // The apiserver refuses more than 128 characters or unprintable ones; this stricter ASCII check
  // makes a bad name fail before any request rather than as a 422 half-way through an action.
  if (!/^[\x21-\x7e]([\x20-\x7e]{0,126}[\x21-\x7e])?$/.test(fieldManager)) {
    throw new InputError(
      `management cluster "${c.cluster}": cannot apply ${describeTarget(
        ctx,
      )}: the field manager must be 1-128 printable ASCII characters`,
    );
  }
  await resolveKind(c, ref, ctx);
  const before = await readObject(c, ref, ctx);
  const body = structuredClone(object);
  for (const k of SERVER_METADATA) delete body.metadata[k];
  const send = async (dryRun: boolean): Promise<KubernetesObject> => {
    try {
      return plain(
        await c.objects.patch(
          body as unknown as ClientNodeObject,
          undefined,
          dryRun ? 'All' : undefined,
          fieldManager,
          Boolean(options.force),
          c.k8s.PatchStrategy.ServerSideApply,
        ),
      );
    } catch (e) {
      throw toBackstageError(e, ctx);
    }
  };
  if (before && options.onlyIfChanged && !options.dryRun) {
    const probe = await send(true);
    if (isDeepStrictEqual(owned(before), owned(probe)))
      return { ...ref, action: 'unchanged', dryRun: false, object: before };
  }
  const after = await send(Boolean(options.dryRun));
  let action: ApplyResult['action'];
  if (!before) action = 'created';
  else if (options.dryRun)
    action = isDeepStrictEqual(comparable(before), comparable(after))
      ? 'unchanged'
      : 'configured';
  else
    action =
      before.metadata.resourceVersion === after.metadata.resourceVersion
        ? 'unchanged'
        : 'configured';
  return { ...ref, action, dryRun: Boolean(options.dryRun), object: after };
}
