#!/usr/bin/env node
// The `plugkit` command; the implementation is compiled to dist/cli.
require("../dist/cli/main.js");
