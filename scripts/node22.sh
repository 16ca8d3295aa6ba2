# Sourced by the run and test scripts: puts Node >= 22 first on PATH.
# Machines with an older system Node get the `node@22` package from the npm registry into .tools/.
intelops_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 22 ]; then
  tools="$intelops_root/.tools"
  if [ "$(node_major "$tools/node_modules/.bin/node")" -lt 22 ]; then
    echo "System Node is $(node --version 2>/dev/null || echo absent); installing Node 22 into .tools/ from the npm registry" >&2
    mkdir -p "$tools"
    [ -f "$tools/package.json" ] || echo '{"private":true}' > "$tools/package.json"
    npm install --prefix "$tools" --no-audit --no-fund --loglevel=error node@22 >&2
  fi
  export PATH="$tools/node_modules/.bin:$PATH"
fi
echo "Using Node $(node --version) at $(command -v node)" >&2

# npm ci only when the lockfile changed since the last install, so repeated runs stay fast.
ensure_dependencies() {
  local marker="$intelops_root/node_modules/.package-lock.json"
  if [ ! -f "$marker" ] || [ "$intelops_root/package-lock.json" -nt "$marker" ]; then
    (cd "$intelops_root" && npm ci --no-audit --no-fund)
  fi
}
