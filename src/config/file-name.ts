/** The config file's name, apart from the config code so discovery (also in workers) can name it alone. */
export const CONFIG_FILE = '.debarch-lint.json';
