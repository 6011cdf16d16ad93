import { repositorySuite } from './repositorySuite.js';

repositorySuite('sqlite-memory');
