import { repositorySuite } from './repositorySuite.js';

repositorySuite('sqlite-file');
