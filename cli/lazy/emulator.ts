/**
 * What the commands that make or send posts load when they run (the generator's vocabulary, the MySQL
 * client), not for --help or a usage error.
 */
export {
  checkMysqlSource,
  emulatePosts,
  generatePosts,
  loadPostsIntoMysql,
  MysqlSourceError,
  openPostSource,
  parseMysqlUrl,
  parsePostLine,
  writePostsFile,
} from '../../libs/emulator';
