import { NotFoundError } from '@backstage/errors';
import {
  type CapaValidationIssue,
  CrdSchemaValidator,
  type CustomResourceDefinition,
  kindInfo,
  type KubernetesObject,
} from '@capa-backstage/plugin-capa-common';
import type { ManagementClusterClient } from '@capa-backstage/plugin-capa-node';
import { describeObject } from './workspace';

const describe = (o: KubernetesObject) =>
  describeObject({
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace: o.metadata.namespace,
    name: o.metadata.name,
  });

/**
 * Checks objects against the CRDs a management cluster serves (`apiextensions.k8s.io/v1`), strictly,
 * for a dry run that cannot let the server check them: a namespaced object cannot be dry-run before
 * its Namespace exists, and a first dry run of a new tenant creates that Namespace. The schemas are
 * the management cluster's own, so the check is against the versions actually installed. Each
 * CRD is read and compiled once per check.
 */
export class ServedCrdCheck {
  private readonly validators = new Map<
    string,
    Promise<CrdSchemaValidator | undefined>
  >();

  constructor(private readonly client: ManagementClusterClient) {}

  /**
   * The problems of `object` with its CRD's schema, each naming the object and the field; none for
   * a built-in kind. Throws NotFoundError when its CRD is not installed or does not serve its
   * version.
   */
  async problems(object: KubernetesObject): Promise<CapaValidationIssue[]> {
    const info = kindInfo(object.apiVersion, object.kind);
    // Built-in kinds (Namespace, Secret) have no CRD; the product applies no other kind.
    if (!info || !info.group) return [];
    const name = `${info.plural}.${info.group}`;
    const validator = await this.validator(name);
    const mc = `management cluster "${this.client.name}"`;
    if (!validator) {
      throw new NotFoundError(
        `${mc} has no CustomResourceDefinition ${name}, so ${describe(
          object,
        )} cannot be applied there: install the project that defines ${
          info.kind
        } (Cluster API or CAPA) on it`,
      );
    }
    const problems = validator.check(object);
    if (!problems) {
      throw new NotFoundError(
        `${mc}: its CustomResourceDefinition ${name} does not serve ${
          object.apiVersion
        }, so ${describe(
          object,
        )} cannot be applied there: upgrade Cluster API and CAPA on it to a release that serves ${
          info.version
        }`,
      );
    }
    return problems.map(p => ({
      path: `${describe(object)}${p.field ? ` ${p.field}` : ''}`,
      message: p.message,
    }));
  }

  private validator(name: string): Promise<CrdSchemaValidator | undefined> {
    let v = this.validators.get(name);
    if (!v) {
      v = this.client
        .find<KubernetesObject>({
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          name,
        })
        .then(crd => {
          if (!crd) return undefined;
          try {
            return new CrdSchemaValidator([
              crd as unknown as CustomResourceDefinition,
            ]);
          } catch (e) {
            throw new Error(
              `management cluster "${
                this.client.name
              }": the schema of CustomResourceDefinition ${name} cannot be checked here (${
                (e as Error).message
              })`,
            );
          }
        });
      this.validators.set(name, v);
    }
    return v;
  }
}
