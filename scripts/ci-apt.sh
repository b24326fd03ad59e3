#!/bin/sh
# System packages the test suite needs beyond npm: Debian's awscli, the independent client that
# test/e2e/awscli.test.ts checks the sandbox against; zsh and fish, which check the syntax of the
# completion scripts Guardian generates for them (test/e2e/completion.test.ts); PostgreSQL's server,
# which test/e2e/inventory-sql.test.ts starts as a throwaway cluster (test/helpers/postgres.ts);
# prometheus (and its promtool), which the predict tests start on 127.0.0.1 over backfilled
# history (test/helpers/prometheus.ts); tmux, the real terminal test/e2e/watch.test.ts drives the
# dashboard in.
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y awscli zsh fish postgresql prometheus tmux
