import { createMockDirectory } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { CapaValidationError } from '@capa-backstage/plugin-capa-common';
import {
  CrdSchemaValidator,
  loadCrds,
} from '@capa-backstage/plugin-capa-common/testUtils';
import fs from 'fs';
import path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { createClusterRenderAction } from './clusterRender';
import { examples as clusterExamples } from './clusterRender.examples';
import { createIamRenderAction } from './iamRender';
import { examples as iamExamples } from './iamRender.examples';
import { createTenantRenderAction } from './tenantRender';
import { examples as tenantExamples } from './tenantRender.examples';

const validator = new CrdSchemaValidator(loadCrds());
const workspace = createMockDirectory();

function stepInput(example: string) {
  return parse(example).steps[0].input;
}

function context(input: JsonObject) {
  workspace.clear();
  return createMockActionContext({ input, workspacePath: workspace.path });
}

function outputs(ctx: ReturnType<typeof context>): Record<string, any> {
  return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
}

function readWorkspace(file: string) {
  return fs.readFileSync(path.join(workspace.path, file), 'utf8');
}

describe.each([
  ['capa:tenant:render', createTenantRenderAction(), tenantExamples],
  ['capa:cluster:render', createClusterRenderAction(), clusterExamples],
])('%s', (id, action, examples) => {
  it('has the expected id and supports dry runs', () => {
    expect(action.id).toBe(id);
    expect(action.supportsDryRun).toBe(true);
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'example "%s" writes CRD-valid manifests and reports them',
    async (_description, example) => {
      const ctx = context(stepInput(example));
      await action.handler(ctx as any);
      const out = outputs(ctx);

      expect(out.files).toHaveLength(1);
      const written = readWorkspace(out.files[0]);
      expect(written).toBe(out.manifest);
      const docs = parseAllDocuments(written).map(d => d.toJS());
      expect(out.objects).toEqual(
        docs.map(d => ({
          apiVersion: d.apiVersion,
          kind: d.kind,
          ...(d.metadata.namespace ? { namespace: d.metadata.namespace } : {}),
          name: d.metadata.name,
        })),
      );
      for (const doc of docs.filter(d => d.kind !== 'Namespace')) {
        expect(validator.validate(doc)).toEqual([]);
      }
    },
  );

  it('refuses a path outside the workspace', async () => {
    const ctx = context({
      ...stepInput(examples[0].example),
      targetPath: '../outside',
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(/outside/i);
  });
});

describe('capa:tenant:render', () => {
  it('writes tenants/<tenant>.yaml under the target path', async () => {
    const ctx = context(stepInput(tenantExamples[1].example));
    await createTenantRenderAction().handler(ctx as any);
    expect(outputs(ctx).files).toEqual(['gitops/capa/tenants/globex.yaml']);
  });

  it('rejects bad input with every problem named, before writing anything', async () => {
    const ctx = context({
      tenant: {
        name: 'Acme',
        owner: 'team-acme',
        aws: { accountId: '123' },
        allowedNamespaces: {},
      },
    });
    const error = await createTenantRenderAction()
      .handler(ctx as any)
      .catch(e => e);
    expect(error).toBeInstanceOf(CapaValidationError);
    expect(error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'allowedNamespaces',
      'aws.accountId',
      'name',
    ]);
    expect(fs.readdirSync(workspace.path)).toEqual([]);
    expect(ctx.output).not.toHaveBeenCalled();
  });
});

describe('capa:cluster:render', () => {
  it('writes clusters/<namespace>/<cluster>.yaml and logs warnings', async () => {
    const input = stepInput(clusterExamples[0].example);
    // aws-auth only: read-only roles need a binding in the workload cluster, which is warned about.
    input.cluster.access.mode = 'config_map';
    const ctx = context(input);
    const warn = jest.spyOn(ctx.logger, 'warn');
    await createClusterRenderAction().handler(ctx as any);
    const out = outputs(ctx);
    expect(out.files).toEqual(['capa/clusters/acme/prod.yaml']);
    expect(out.warnings).toHaveLength(1);
    expect(warn).toHaveBeenCalledWith(out.warnings[0]);
  });

  it("outputs the cluster's catalog entity ref when given the management cluster", async () => {
    const input = stepInput(clusterExamples[0].example);
    const ctx = context({ ...input, managementCluster: 'local' });
    await createClusterRenderAction().handler(ctx as any);
    expect(outputs(ctx).entityRef).toBe('resource:default/local.acme.prod');

    const without = context(input);
    await createClusterRenderAction().handler(without as any);
    expect(outputs(without).entityRef).toBeUndefined();
  });

  it('honours the configured Kubernetes versions', async () => {
    const action = createClusterRenderAction({ kubernetesVersions: ['1.35'] });
    const ctx = context(stepInput(clusterExamples[0].example));
    await expect(action.handler(ctx as any)).rejects.toThrow(
      /kubernetesVersion: must be a supported Kubernetes minor version: 1\.35/,
    );
  });
});

describe('capa:iam:render', () => {
  const action = createIamRenderAction();

  it.each(iamExamples.map(e => [e.description, e.example]))(
    'example "%s" writes clusterawsadm configs and IAM JSON',
    async (_description, example) => {
      const input = stepInput(example);
      const ctx = context(input);
      await action.handler(ctx as any);
      const out = outputs(ctx);
      for (const file of out.files)
        expect(fs.existsSync(path.join(workspace.path, file))).toBe(true);
      expect(out.tenants.map((t: { name: string }) => t.name)).toEqual(
        input.iam.tenants.map((t: { name: string }) => t.name),
      );
      const policy = JSON.parse(out.managerPermissionPolicy);
      expect(policy.Statement[0].Resource).toEqual(
        out.tenants.map((t: { roleArn: string }) => t.roleArn).sort(),
      );
      for (const t of out.tenants) {
        expect(parse(t.config).kind).toBe('AWSIAMConfiguration');
        expect(JSON.parse(t.trustPolicy).Statement[0].Principal.AWS).toEqual([
          out.managerRoleArn,
        ]);
      }
    },
  );

  it('writes the manager trust policy only with IRSA', async () => {
    const plain = context(stepInput(iamExamples[0].example));
    await action.handler(plain as any);
    expect(outputs(plain).files).toEqual([
      'capa/iam/manager/awsiamconfiguration.yaml',
      'capa/iam/manager/permission-policy.json',
      'capa/iam/tenants/acme/awsiamconfiguration.yaml',
      'capa/iam/tenants/acme/trust-policy.json',
    ]);
    const irsa = context(stepInput(iamExamples[1].example));
    await action.handler(irsa as any);
    expect(outputs(irsa).files).toContain(
      'gitops/iam/manager/trust-policy.json',
    );
  });
});
