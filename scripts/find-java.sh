#!/usr/bin/env bash
# find-java.sh MAJOR: prints the `java` of a JDK or JRE whose major version is MAJOR (e.g. 25), or
# fails. Looks at $JAVA_HOME, the `java` on PATH, then /usr/lib/jvm/*.
# find-java.sh --major JAVA: prints the major version of that `java` (a path or a name on PATH).
# Reads each one's `release` file instead of running it (no JVM start: the launcher calls this at
# every start).
set -euo pipefail
major_of() { # $1 = a Java home; prints its major version
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null
}
if [ "${1:-}" = --major ]; then
  major_of "$(dirname "$(dirname "$(readlink -f "$(command -v "${2:?usage: find-java.sh --major JAVA}")")")")"
  exit
fi
want=${1:?usage: find-java.sh MAJOR | --major JAVA}
candidates=()
[ -z "${JAVA_HOME:-}" ] || candidates+=("$JAVA_HOME")
if on_path=$(command -v java 2>/dev/null); then
  candidates+=("$(dirname "$(dirname "$(readlink -f "$on_path")")")")
fi
for home in /usr/lib/jvm/*/; do candidates+=("${home%/}"); done
for home in "${candidates[@]}"; do
  if [ -x "$home/bin/java" ] && [ "$(major_of "$home")" = "$want" ]; then
    echo "$home/bin/java"
    exit 0
  fi
done
exit 1
