import {
  CAPA_CLUSTER_CAPABILITIES,
  CLUSTER_PHASES,
} from '@capa-backstage/plugin-capa-common';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spec } from './openapi';

const SCRIPT = path.resolve(__dirname, '../../scripts/generate-api.mjs');
const SPEC = path.resolve(__dirname, 'openapi.yaml');

function check(...args: string[]) {
  return spawnSync(process.execPath, [SCRIPT, '--check', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('the OpenAPI document', () => {
  it("lists the phases in capa-common's order, which the portal sorts and shows them by", () => {
    expect(spec.components.schemas.ClusterPhase.enum).toEqual(CLUSTER_PHASES);
  });

  it('matches the generated code (run `yarn generate:api` after changing it)', () => {
    const result = check();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('makes the check fail when the spec changes without regeneration', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capa-openapi-'));
    try {
      const changed = path.join(dir, 'openapi.yaml');
      fs.writeFileSync(
        changed,
        fs
          .readFileSync(SPEC, 'utf8')
          .replace(
            '    ClusterSummary:\n      type: object\n      description: One row of the fleet.\n      properties:\n',
            '    ClusterSummary:\n      type: object\n      description: One row of the fleet.\n      properties:\n        added:\n          type: string\n',
          ),
      );
      expect(fs.readFileSync(changed, 'utf8')).toContain('added:');
      const result = check('--spec', changed);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        'plugins/capa-common/src/api/openapi.generated.ts',
      );
      expect(result.stderr).toContain(
        'plugins/capa-backend/src/schema/openapi/generated/router.ts',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('offers exactly the capabilities the permissions define', () => {
    expect([...spec.components.schemas.ClusterCapability.enum].sort()).toEqual(
      Object.keys(CAPA_CLUSTER_CAPABILITIES).sort(),
    );
  });

  it('sorts by fields the fleet rows have', () => {
    const row = spec.components.schemas.ClusterSummary.properties;
    for (const key of spec.components.schemas.ClusterSortKey.enum) {
      expect(row).toHaveProperty(key);
    }
  });
});
