#!/usr/bin/env bash
# Packs what a GPU machine without Maven needs to run trm4j's golden tests: the test classes of the golden
# tests (trm4j.model, trm4j.train and their helpers) and JUnit's console launcher, unpacked and xz-compressed
# into target/gpu-tests/tests.tar.xz (about 2 MB: the device run's payload has room for little more). check.sh
# unpacks it; the fixtures travel with the working tree. Run here, from the project root, after `mvn test-compile`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
v=1.14.1
jar=$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone/$v/junit-platform-console-standalone-$v.jar
[ -f "$jar" ] || mvn -B -q dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:$v
[ -d target/test-classes/trm4j ] || { echo "no target/test-classes: run mvn test-compile first" >&2; exit 1; }
stage=$(mktemp -d)
mkdir -p "$stage/tests/classes/trm4j" "$stage/tests/console"
cp target/test-classes/trm4j/*.class "$stage/tests/classes/trm4j/"
cp -r target/test-classes/trm4j/model target/test-classes/trm4j/train "$stage/tests/classes/trm4j/"
(cd "$stage/tests/console" && unzip -q "$jar")
rm -rf target/gpu-tests && mkdir -p target/gpu-tests
tar -C "$stage" -cf - tests | xz -9 -T1 > target/gpu-tests/tests.tar.xz
rm -rf "$stage"
ls -la target/gpu-tests/tests.tar.xz
