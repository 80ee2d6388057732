#!/usr/bin/env node
// first: V8's flags must be set before the CLI's code runs
import './v8-flags.js';
import './main.js';
