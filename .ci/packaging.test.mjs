// Builds every plugin package on its own and exports every backend plugin and module as a Red Hat
// Developer Hub dynamic plugin, then checks what another portal would install: package metadata,
// the built entry points, and each dynamic plugin's package.json and backend feature.
//
//   yarn test:packaging                       (KEEP_DIST_DYNAMIC=1 keeps the exports to look at)
//
// Run after `yarn tsc` (the builds bundle its declarations). Runs the builds and exports one at a
// time (they are CPU-bound). The exports run `yarn install` inside each dist-dynamic folder from
// the monorepo's lockfile: offline only when the yarn cache already holds every package (it does
// after `yarn install` of this repository).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rhdhCli = path.join(root, 'node_modules/.bin/rhdh-cli');
const BACKEND_ROLES = new Set(['backend-plugin', 'backend-plugin-module']);

const packages = fs
  .readdirSync(path.join(root, 'plugins'))
  .map(dir => path.join(root, 'plugins', dir))
  .filter(dir => fs.existsSync(path.join(dir, 'package.json')))
  .map(dir => ({
    dir,
    json: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')),
  }));
const names = new Set(packages.map(p => p.json.name));

function run(command, args, cwd) {
  try {
    execFileSync(command, args, { cwd, stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    assert.fail(
      `${command} ${args.join(' ')} in ${path.relative(root, cwd)} failed:\n${
        error.stdout ?? ''
      }${error.stderr ?? ''}`,
    );
  }
}

const exists = (dir, file) => fs.existsSync(path.join(dir, file));

/** The dist file an export builds to, named by its subpath: '.' -> dist/index, './alpha' -> dist/alpha. */
function builtEntry(subpath, role) {
  const base = subpath === '.' ? 'dist/index' : `dist/${subpath.slice(2)}`;
  return role === 'frontend-plugin' ? `${base}.esm.js` : `${base}.cjs.js`;
}

describe('package metadata', () => {
  for (const { dir, json } of packages) {
    it(`${json.name} can be published and installed from a registry`, () => {
      const { backstage = {} } = json;
      assert.ok(backstage.role, 'backstage.role is set');
      assert.ok(backstage.pluginId, 'backstage.pluginId is set');
      if (backstage.role === 'backend-plugin-module')
        assert.match(backstage.pluginPackage ?? '', /^@/, 'pluginPackage');
      else
        assert.ok(
          backstage.pluginPackages?.includes(json.name),
          'pluginPackages lists the package itself',
        );
      assert.notEqual(json.private, true, 'not private');
      assert.equal(json.publishConfig?.access, 'public');
      assert.ok(json.license, 'license');
      assert.ok(json.description, 'description');
      assert.ok(json.files?.includes('dist'), 'files has dist');
      if (json.configSchema) {
        assert.ok(exists(dir, json.configSchema), 'configSchema exists');
        assert.ok(json.files.includes(json.configSchema), 'files has it');
      }
      for (const [dep, range] of Object.entries(json.dependencies ?? {}))
        if (range.startsWith('workspace:'))
          assert.ok(names.has(dep), `${dep} is a package of this repository`);
    });
  }

  it('backstage-cli repo fix --publish has nothing to change', () => {
    run('yarn', ['backstage-cli', 'repo', 'fix', '--check', '--publish'], root);
  });
});

describe('builds', () => {
  // The builds bundle the declarations `yarn tsc` writes to dist-types (test:all runs it first).
  it('type declarations exist (run yarn tsc first)', () => {
    for (const { dir } of packages)
      assert.ok(
        exists(root, `dist-types/${path.relative(root, dir)}/src`),
        `dist-types of ${path.relative(root, dir)}`,
      );
  });

  for (const { dir, json } of packages) {
    it(`${json.name} builds on its own`, () => {
      fs.rmSync(path.join(dir, 'dist'), { recursive: true, force: true });
      run('yarn', ['backstage-cli', 'package', 'build'], dir);
      const role = json.backstage.role;
      const subpaths = json.exports
        ? Object.keys(json.exports).filter(key => key !== './package.json')
        : ['.'];
      for (const subpath of subpaths) {
        const built = builtEntry(subpath, role);
        assert.ok(exists(dir, built), `${built} was built`);
        assert.ok(
          exists(dir, built.replace(/\.(cjs|esm)\.js$/, '.d.ts')),
          `types of ${built}`,
        );
      }
    });
  }
});

describe('Red Hat Developer Hub dynamic plugins', () => {
  for (const { dir, json } of packages) {
    if (!BACKEND_ROLES.has(json.backstage.role)) continue;
    it(`${json.name} exports as a dynamic plugin`, t => {
      // Packages of this repository are not on a registry: they go inside the dynamic plugin.
      const embedded = Object.entries(json.dependencies ?? {})
        .filter(([, range]) => range.startsWith('workspace:'))
        .map(([dep]) => dep);
      run(
        rhdhCli,
        [
          'plugin',
          'export',
          '--clean',
          '--no-build',
          ...(embedded.length ? ['--embed-package', ...embedded] : []),
        ],
        dir,
      );
      const out = path.join(dir, 'dist-dynamic');
      // Removed afterwards (about 100 MB each, and linters would read it); KEEP_DIST_DYNAMIC=1 keeps it.
      if (!process.env.KEEP_DIST_DYNAMIC)
        t.after(() => fs.rmSync(out, { recursive: true, force: true }));
      const dynamic = JSON.parse(
        fs.readFileSync(path.join(out, 'package.json'), 'utf8'),
      );
      assert.equal(dynamic.name, `${json.name}-dynamic`);
      assert.equal(dynamic.main, './dist/index.cjs.js');
      assert.ok(exists(out, dynamic.main), 'main exists');
      assert.deepEqual(dynamic.backstage.role, json.backstage.role);
      assert.deepEqual(dynamic.backstage.pluginId, json.backstage.pluginId);
      assert.equal(dynamic.bundleDependencies, true);
      for (const [dep, range] of Object.entries(dynamic.dependencies ?? {})) {
        assert.ok(!range.startsWith('workspace:'), `${dep} is resolvable`);
        assert.ok(!dep.startsWith('@backstage/'), `${dep} is shared`);
        assert.ok(exists(out, `node_modules/${dep}/package.json`), dep);
      }
      assert.ok(
        dynamic.peerDependencies?.['@backstage/backend-plugin-api'],
        'the host provides @backstage/backend-plugin-api',
      );
      if (json.configSchema)
        assert.ok(exists(out, 'dist/configSchema.json'), 'config schema');

      // The plugin entry the host loads: a backend feature of the package's plugin.
      const feature = createRequire(path.join(out, 'package.json'))(
        out,
      ).default;
      assert.equal(feature?.$$type, '@backstage/BackendFeature');
      const registrations = feature.getRegistrations();
      assert.ok(
        registrations.some(r => r.pluginId === json.backstage.pluginId),
        `registers for plugin ${json.backstage.pluginId}`,
      );
    });
  }
});
