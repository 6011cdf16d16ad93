import { repositorySuite } from './repositorySuite.js';

repositorySuite('mariadb');
