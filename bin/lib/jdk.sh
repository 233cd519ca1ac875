# shellcheck shell=bash
# Finds a JDK >= QUARRY_MIN_JAVA (21) and exports JAVA_HOME. Sourced by bin/quarry and bin/test.
# Order: $JAVA_HOME if it is new enough, then the newest JDK under /usr/lib/jvm (or $QUARRY_JVM_DIRS,
# a colon-separated list of folders holding JDKs), then `java` on the PATH.

QUARRY_MIN_JAVA=${QUARRY_MIN_JAVA:-21}

# Prints the feature version (17, 21, 25, ...) of the java binary given, or nothing if it does not run.
quarry_java_major() {
  local java=$1 line version
  [ -x "$java" ] || return 0
  line=$("$java" -XshowSettings:properties -version 2>&1 | grep -m1 'java.specification.version') || return 0
  version=${line##*= }
  version=${version#1.}   # 1.8 -> 8
  printf '%s\n' "${version%%.*}"
}

# Sets JAVA_HOME to a suitable JDK (one with javac) or prints why none was found and returns 1.
quarry_find_jdk() {
  local candidate major best="" best_major=0 dirs dir
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(quarry_java_major "$JAVA_HOME/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$QUARRY_MIN_JAVA" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
      export JAVA_HOME
      return 0
    fi
  fi
  IFS=: read -r -a dirs <<< "${QUARRY_JVM_DIRS:-/usr/lib/jvm}"
  for dir in "${dirs[@]}"; do
    for candidate in "$dir"/*/; do
      candidate=${candidate%/}
      [ -L "$candidate" ] && continue   # Debian's aliases point at the same JDKs
      [ -x "$candidate/bin/javac" ] || continue
      major=$(quarry_java_major "$candidate/bin/java")
      if [ -n "$major" ] && [ "$major" -gt "$best_major" ]; then
        best=$candidate
        best_major=$major
      fi
    done
  done
  if [ -n "$best" ] && [ "$best_major" -ge "$QUARRY_MIN_JAVA" ]; then
    export JAVA_HOME=$best
    return 0
  fi
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(quarry_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$QUARRY_MIN_JAVA" ]; then
      export JAVA_HOME=$candidate
      return 0
    fi
  fi
  {
    echo "quarry: no JDK $QUARRY_MIN_JAVA or newer was found."
    echo "  Looked at: JAVA_HOME=${JAVA_HOME:-<unset>}, ${QUARRY_JVM_DIRS:-/usr/lib/jvm}/*, and javac on the PATH."
    [ -n "$best" ] && echo "  The newest found was Java $best_major at $best."
    echo "  Install a JDK $QUARRY_MIN_JAVA+ (for example Eclipse Temurin 21 or 25) and set JAVA_HOME to it."
  } >&2
  return 1
}

# Extra options Maven's own JVM needs on recent JDKs (quiet Guava's sun.misc.Unsafe warnings).
quarry_maven_opts() {
  local major
  major=$(quarry_java_major "$JAVA_HOME/bin/java")
  if [ -n "$major" ] && [ "$major" -ge 24 ]; then
    printf '%s\n' "--sun-misc-unsafe-memory-access=allow ${MAVEN_OPTS:-}"
  else
    printf '%s\n' "${MAVEN_OPTS:-}"
  fi
}

# glibc malloc settings for libtorch (exported unless GLIBC_TUNABLES is already set). By default glibc serves every
# allocation over 32 MB (attention scores, activations) with a fresh mmap and unmaps it when freed, so the kernel
# zeroes new pages on every training step: measured on a 2-core machine, 78,000 page faults a second and a quarter of
# the CPU in the kernel. Keeping freed memory in the heap (trim threshold) and backing large chunks with transparent
# huge pages (hugetlb=1, glibc >= 2.35; older glibc ignores it) cut that to about 2,700 a second and made a DPR step
# on SciFact about twice as fast (README, "Measured numbers").
quarry_native_env() {
  if [ -z "${GLIBC_TUNABLES:-}" ]; then
    export GLIBC_TUNABLES=glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=17179869184
  fi
}
