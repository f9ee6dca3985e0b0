# shellcheck shell=bash
# Sourced by scripts/cds-archive.sh and test/bench/run.sh.
# free_port: a loopback TCP port nobody listens on now, between 20000 and 39999.
free_port() {
  local port
  while :; do
    port=$(( 20000 + RANDOM % 20000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
