import { repositorySuite } from './repositorySuite.js';

repositorySuite('mysql');
