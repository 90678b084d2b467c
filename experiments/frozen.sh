#!/usr/bin/env bash
# Freezes this build for a study: the launcher, the jar and its libraries copied to DIR with the commit
# they were built from, so that every run of the study runs one code version whatever the repository
# does meanwhile. Usage: experiments/frozen.sh DIR; then TRM4J_CMD=DIR/trm4j experiments/seeds.sh ...
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: experiments/frozen.sh DIR}
if [ -n "$(git status --porcelain -- src pom.xml)" ]; then
  echo "frozen.sh: src/ or pom.xml has uncommitted changes; commit them so that the build names its code" >&2; exit 2
fi
mvn -q -B -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package
mkdir -p "$dir/target"
cp trm4j "$dir/"
cp target/trm4j.jar "$dir/target/"
rm -rf "$dir/target/lib" && cp -r target/lib "$dir/target/"
git rev-parse HEAD > "$dir/COMMIT"
echo "frozen.sh: $(cat "$dir/COMMIT") in $dir"
