#!/usr/bin/env bash
# Checks the packages as a user gets them: packs every public package (pnpm pack rewrites workspace:
# ranges), installs the tarballs with npm into fresh projects outside the workspace (no links), and there
# runs examples/outside-project, a CommonJS require() of every package, `tsc --noEmit` of the example under
# strict settings with skipLibCheck false, publint, attw and `npm publish --dry-run` on every tarball, and
# install-size checks (the tfjs-free packages must install no
# TensorFlow.js). Needs `pnpm build` first. Each check's outcome goes to .consumer-report.json, which
# scripts/test-summary.mjs adds to CI's "N passed, N failed" line. Usage: scripts/consumer-check.sh [workdir]
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-$(mktemp -d "${TMPDIR:-/tmp}/ncf-consumer.XXXXXX")}"
REPORT="$ROOT/.consumer-report.json"
TGZ="$WORK/tgz"
mkdir -p "$TGZ"
passed=0
failed=0
names=()
record() { # record <name> <status>
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "consumer: ok   $1"; else
    failed=$((failed + 1)); names+=("$1"); echo "consumer: FAIL $1" >&2; fi
}
check() { # check <name> <command...>: runs the command, records its outcome
  local name="$1"; shift
  echo "--- $name"
  "$@"
  record "$name" $?
}
write_report() {
  node -e 'const [p,f,file,...n]=process.argv.slice(1);require("fs").writeFileSync(file,JSON.stringify({passed:+p,failed:+f,failures:n},null,2)+"\n")' \
    "$passed" "$failed" "$REPORT" "${names[@]}"
}
trap write_report EXIT

# Public packages, in dependency order.
PKGS=(packages/core packages/datasets packages/eval packages/models-ncf packages/models-gnn packages/movielens packages/serve apps/cli)
tarball() { # tarball <dir>: path of its packed tarball
  node -e 'const p=require(process.argv[1]);console.log(p.name.replace("@","").replace("/","-")+"-"+p.version+".tgz")' "$ROOT/$1/package.json"
}
pack_all() {
  for dir in "${PKGS[@]}"; do
    (cd "$ROOT/$dir" && pnpm pack --pack-destination "$TGZ" >/dev/null) || return 1
  done
}
check "pack every package" pack_all

# Each tarball as the registry would get it: publint (strict), are-the-types-wrong (node16 and bundler
# resolution; require() of ESM is allowed: Node >= 20.19 supports it and the require() checks below prove
# it), and npm's own publish dry run.
for dir in "${PKGS[@]}"; do
  t="$TGZ/$(tarball "$dir")"
  check "publint --strict $(basename "$t")" bash -c "cd '$ROOT' && pnpm exec publint --strict '$t'"
  check "attw $(basename "$t")" bash -c "cd '$ROOT' && pnpm exec attw --profile node16 --ignore-rules cjs-resolves-to-esm --format ascii '$t'"
  check "README links of $(basename "$t") resolve in the tarball" node "$ROOT/scripts/check-readme-links.mjs" "$t"
  check "npm publish --dry-run $(basename "$t")" bash -c "cd '$WORK' && npm publish --dry-run --loglevel=error '$t'"
done

# new_project <dir> <pkg dirs...>: a project depending on the given tarballs, installed with npm.
new_project() {
  local dir="$1"; shift
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{"name":"consumer","version":"0.0.0","private":true,"type":"module"}' >"$dir/package.json"
  local specs=()
  for p in "$@"; do specs+=("$TGZ/$(tarball "$p")"); done
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error "${specs[@]}")
}
megabytes() { du -sm --apparent-size "$1" | cut -f1; }

# 1. The tfjs-free packages install no TensorFlow.js.
lean="$WORK/tfjs-free"
check "npm install of @ncf/datasets, eval, movielens" new_project "$lean" packages/core packages/datasets packages/eval packages/movielens
no_tfjs() {
  echo "tfjs-free install: $(megabytes "$lean/node_modules") MB"
  if [ -e "$lean/node_modules/@tensorflow" ]; then ls "$lean/node_modules/@tensorflow" >&2; return 1; fi
}
check "tfjs-free packages install no TensorFlow.js" no_tfjs
# Their declarations need nothing beyond ES2023 (tfjs-core's would need the DOM library and @types/long).
lean_tsc() {
  (cd "$lean" && npm install --no-audit --no-fund --loglevel=error --save-dev \
    "typescript@$(node -p "require('$ROOT/node_modules/typescript/package.json').version")") || return 1
  cat >"$lean/check.ts" <<'TS'
import { NcfError, createRng } from '@ncf/core/base';
import { interactionsFromIds, leaveOneOut } from '@ncf/datasets';
import { evalDataFromSplit, evaluate, popularityScorer } from '@ncf/eval';
import { writeSyntheticMovieLens } from '@ncf/movielens';
const x = interactionsFromIds({ users: ['a', 'a', 'b', 'b'], items: ['x', 'y', 'x', 'z'] });
const split = leaveOneOut(x, { seed: createRng(1).int(10) });
const r = await evaluate(popularityScorer(x.numItems, split.train.items), evalDataFromSplit(split));
console.log(r.metrics, NcfError.name, typeof writeSyntheticMovieLens);
TS
  echo '{"compilerOptions":{"target":"ES2022","lib":["ES2023"],"module":"NodeNext","moduleResolution":"NodeNext","strict":true,"skipLibCheck":false,"noEmit":true,"types":[]},"files":["check.ts"]}' >"$lean/tsconfig.json"
  (cd "$lean" && npx tsc -p tsconfig.json)
}
check "tsc --noEmit against the tfjs-free packages (ES2023 only, skipLibCheck false)" lean_tsc
check "require() of the tfjs-free packages" bash -c "cd '$lean' && node '$ROOT/scripts/consumer-require.cjs' @ncf/core/base @ncf/datasets @ncf/eval @ncf/movielens"

# 2. @ncf/models-gnn with its dependencies stays lean (the whole tfjs bundle would be 300 MB).
gnn="$WORK/models-gnn"
check "npm install of @ncf/models-gnn" new_project "$gnn" packages/core packages/datasets packages/models-gnn
gnn_size() {
  local mb; mb=$(megabytes "$gnn/node_modules")
  echo "@ncf/models-gnn install: $mb MB"
  [ "$mb" -le 80 ]
}
check "@ncf/models-gnn installs in <= 80 MB" gnn_size

# 3. The outside project: every package from its tarball, the example type-checked strictly, built and run.
app="$WORK/outside-project"
mkdir -p "$app"
cp -R "$ROOT/examples/outside-project/src" "$ROOT/examples/outside-project/tsconfig.json" "$app/"
node -e 'const p=require(process.argv[1]);delete p.dependencies;delete p.devDependencies;require("fs").writeFileSync(process.argv[2],JSON.stringify(p,null,2))' \
  "$ROOT/examples/outside-project/package.json" "$app/package.json"
install_app() {
  new_project "$app" "${PKGS[@]}" &&
    (cd "$app" && npm install --no-audit --no-fund --loglevel=error --save-dev \
      "typescript@$(node -p "require('$ROOT/node_modules/typescript/package.json').version")" '@types/node@^20.19.0')
}
check "npm install of every package and the example's tools" install_app
check "require() of every package" bash -c "cd '$app' && node '$ROOT/scripts/consumer-require.cjs' @ncf/core @ncf/core/base @ncf/datasets @ncf/eval @ncf/models-ncf @ncf/models-gnn @ncf/movielens @ncf/serve @ncf/cli"
check "tsc --noEmit of the example (strict, skipLibCheck false)" bash -c "cd '$app' && npx tsc --noEmit -p tsconfig.json"
check "examples/outside-project runs on the installed packages" bash -c "cd '$app' && npx tsc -p tsconfig.json && node dist/main.js"

echo "consumer checks: $passed passed, $failed failed (work dir $WORK)"
[ "$failed" -eq 0 ]
