import { repositorySuite } from './repositorySuite.js';

repositorySuite('postgres');
