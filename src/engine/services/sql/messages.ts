// Azure SQL's own texts, verbatim where a source shows them (numbers, classes and states with them).
// Sources: research/tds.md §9 — Azure Database Support blog "AAD Auth Error - Login failed for user
// '<token-identified principal>'" (18456/14/1), microsoft/azuredatastudio#14497 (state 233, expired),
// microsoft/vscode-mssql#22031 (wrong audience), Azure/azure-sdk-for-python#45216 (a token the server
// cannot read), the azure-sql docs tutorial "Enable Microsoft Entra-only authentication" (SQL password
// refused), codewithsql.com/errors/229 (229/14/5) and many SQL Server transcripts for the rest.

export const TOKEN_PRINCIPAL = '<token-identified principal>';

export const MSG = {
  loginFailed: (user: string) => `Login failed for user '${user}'.`,
  tokenExpired: `Login failed for user '${TOKEN_PRINCIPAL}'. Token is expired.`,
  // The state Azure sends with these two is unverified; the lab sends 1.
  tokenInvalid: `Login failed for user '${TOKEN_PRINCIPAL}'. Incorrect or invalid token.`,
  tokenNotAccepted: `Login failed for user '${TOKEN_PRINCIPAL}'. The server is not currently configured to accept this token.`,
  entraOnly: (user: string) =>
    `Login failed for user '${user}'. Reason: Azure Active Directory only authentication is enabled. Please contact your system administrator.`,
  cannotOpenDatabase: (db: string) => `Cannot open database "${db}" requested by the login. The login failed.`,
  cannotOpenServer: (server: string) => `Cannot open server "${server}" requested by the login. The login failed.`,
  permissionDenied: (permission: string, object: string, db: string) =>
    `The ${permission} permission was denied on the object '${object}', database '${db}', schema 'dbo'.`,
  createTableDenied: (db: string) => `CREATE TABLE permission denied in database '${db}'.`,
  noPermission: 'User does not have permission to perform this action.',
  alreadyExists: (name: string) => `User, group, or role '${name}' already exists in the current database.`,
  principalNotFound: (name: string) => `Principal '${name}' could not be found or this principal type is not supported.`,
  cannotAlterRole: (role: string) => `Cannot alter the role '${role}', because it does not exist or you do not have permission.`,
  cannotAddPrincipal: (name: string) => `Cannot add the principal '${name}', because it does not exist or you do not have permission.`,
  cannotDropUser: (name: string) => `Cannot drop the user '${name}', because it does not exist or you do not have permission.`,
  objectExists: (name: string) => `There is already an object named '${name}' in the database.`,
  invalidObject: (name: string) => `Invalid object name '${name}'.`,
  invalidColumn: (name: string) => `Invalid column name '${name}'.`,
  incorrectSyntax: (near: string) => `Incorrect syntax near '${near}'.`,
  notBuiltIn: (name: string) => `'${name}' is not a recognized built-in function name.`,
  unknownType: (index: number, type: string) => `Column, parameter, or variable #${index}: Cannot find data type ${type}.`,
  conversionFailed: (value: string, type: string) => `Conversion failed when converting the varchar value '${value}' to data type ${type}.`,
  truncated: (table: string, column: string, value: string) =>
    `String or binary data would be truncated in table '${table}', column '${column}'. Truncated value: '${value}'.`,
  cannotInsertNull: (column: string, table: string) =>
    `Cannot insert the value NULL into column '${column}', table '${table}'; column does not allow nulls. INSERT fails.`,
  suppliedValues: 'Column name or number of supplied values does not match table definition.',
  fewerColumns:
    'There are fewer columns in the INSERT statement than values specified in the VALUES clause. The number of values in the VALUES clause must match the number of columns specified in the INSERT statement.',
  moreColumns:
    'There are more columns in the INSERT statement than values specified in the VALUES clause. The number of values in the VALUES clause must match the number of columns specified in the INSERT statement.',
  /** Informational messages Azure sends with a successful login (class 0). */
  changedDatabase: (db: string) => `Changed database context to '${db}'.`,
  changedLanguage: 'Changed language setting to us_english.',
};

/** Why, in the lab's words: what a trace says beside Azure's terse 18456. */
export const WHY = {
  noContainedUser: (where: string, objectId: string, name: string) =>
    `No contained user in ${where} maps to object id ${objectId} (${name}). Azure RBAC roles (even "SQL DB Contributor") grant no data access: as the server's Entra admin, run CREATE USER [${name}] FROM EXTERNAL PROVIDER, then ALTER ROLE db_datareader ADD MEMBER [${name}].`,
  entraOnly: (server: string) =>
    `${server} allows Microsoft Entra authentication only: connect with Authentication=Active Directory Managed Identity (tedious: azure-active-directory-msi-vm or -default).`,
};

/** The lab's own limits, raised as RAISERROR raises a message of its own (number 50000, class 16): honest that SQL Server has no such text. */
export const LAB_MSG = {
  unsupported: (statement: string) =>
    `The lab does not run this statement: '${statement}'. It runs CREATE USER … FROM EXTERNAL PROVIDER [WITH OBJECT_ID = '…'], ALTER ROLE … ADD|DROP MEMBER, DROP USER, CREATE TABLE, INSERT … VALUES, SELECT (a column list or * FROM a table; 1, 'text', SUSER_SNAME(), USER_NAME(), CURRENT_USER, DB_NAME()), SET options and WAITFOR DELAY.`,
  unsupportedType: (type: string) => `The lab's tables hold int, bigint, bit and (n)varchar/(n)char columns only, not ${type}.`,
  tooLong: (length: number, limit: number) => `The lab reads statements of at most ${limit} characters (this one has ${length}).`,
  waitTooLong: (limitSeconds: number) => `The lab waits at most ${limitSeconds} seconds (WAITFOR DELAY).`,
};

export const LAB_ERROR_NUMBER = 50000;
