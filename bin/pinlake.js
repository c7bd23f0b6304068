#!/usr/bin/env node

require('tsx/cjs/api').register();
require('../cli/main.ts');
