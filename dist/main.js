var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// src/generated/sqlite/internal/class.ts
import * as runtime from "@prisma/client/runtime/client";
async function decodeBase64AsWasm(wasmBase64) {
  const { Buffer: Buffer2 } = await import("node:buffer");
  const wasmArray = Buffer2.from(wasmBase64, "base64");
  return new WebAssembly.Module(wasmArray);
}
function getPrismaClientClass(dirname4) {
  config.dirname = dirname4;
  return runtime.getPrismaClient(config);
}
var config;
var init_class = __esm({
  "src/generated/sqlite/internal/class.ts"() {
    "use strict";
    config = {
      "generator": {
        "name": "client",
        "provider": {
          "fromEnvVar": null,
          "value": "prisma-client"
        },
        "output": {
          "value": "/work/main/src/generated/sqlite",
          "fromEnvVar": null
        },
        "config": {
          "engineType": "client"
        },
        "binaryTargets": [
          {
            "fromEnvVar": null,
            "value": "debian-openssl-3.0.x",
            "native": true
          }
        ],
        "previewFeatures": [],
        "sourceFilePath": "/work/main/prisma/schema.prisma",
        "isCustomOutput": true
      },
      "relativePath": "../../../prisma",
      "clientVersion": "6.19.3",
      "engineVersion": "c2990dca591cba766e3b7ef5d9e8a84796e47ab7",
      "datasourceNames": [
        "db"
      ],
      "activeProvider": "sqlite",
      "postinstall": false,
      "inlineDatasources": {
        "db": {
          "url": {
            "fromEnvVar": "DATABASE_URL",
            "value": null
          }
        }
      },
      "inlineSchema": '// The one data model. prisma/postgresql/schema.prisma is generated from this\n// file by scripts/prisma-schemas.ts; edit this one and run `npm run db:schemas`.\n\ngenerator client {\n  provider   = "prisma-client"\n  output     = "../src/generated/sqlite"\n  engineType = "client"\n}\n\ngenerator pothos {\n  provider          = "prisma-pothos-types"\n  clientOutput      = "./sqlite/client.js"\n  output            = "../src/generated/pothos-types.ts"\n  generateDatamodel = true\n}\n\ndatasource db {\n  provider = "sqlite"\n  url      = env("DATABASE_URL")\n}\n\nmodel User {\n  id            String      @id @default(uuid())\n  username      String      @unique\n  email         String      @unique\n  fullName      String?\n  passwordHash  String?\n  emailVerified Boolean     @default(false)\n  role          String      @default("USER")\n  plan          String      @default("FREE")\n  googleSubject String?     @unique\n  disabledAt    DateTime?\n  createdAt     DateTime    @default(now())\n  updatedAt     DateTime    @updatedAt\n  sessions      Session[]\n  apiKeys       ApiKey[]\n  challenges    Challenge[]\n}\n\nmodel Session {\n  id            String         @id @default(uuid())\n  userId        String\n  user          User           @relation(fields: [userId], references: [id], onDelete: Cascade)\n  name          String\n  userAgent     String\n  clientType    String\n  rememberMe    Boolean\n  createdAt     DateTime       @default(now())\n  lastUsedAt    DateTime       @default(now())\n  expiresAt     DateTime\n  revokedAt     DateTime?\n  revokeReason  String?\n  refreshTokens RefreshToken[]\n\n  @@index([userId, revokedAt])\n}\n\n/// One row per refresh token a session has issued; only a hash is kept.\n/// rotatedAt is set when the token is exchanged for its successor.\nmodel RefreshToken {\n  tokenHash  String    @id\n  sessionId  String\n  session    Session   @relation(fields: [sessionId], references: [id], onDelete: Cascade)\n  generation Int\n  createdAt  DateTime  @default(now())\n  rotatedAt  DateTime?\n\n  @@index([sessionId, generation])\n}\n\n/// A non-human principal (CI, integrations): a fixed role and scopes, no password, no session.\nmodel ServiceAccount {\n  id          String    @id @default(uuid())\n  name        String    @unique\n  description String?\n  role        String    @default("USER")\n  /// Space-separated scope names.\n  scopes      String    @default("")\n  plan        String    @default("FREE")\n  createdById String?\n  createdAt   DateTime  @default(now())\n  disabledAt  DateTime?\n  apiKeys     ApiKey[]\n}\n\n/// Only hashes of key secrets are stored. Rolling a key moves the old hash to\n/// previousSecretHash, accepted until previousSecretExpiresAt.\nmodel ApiKey {\n  id                      String          @id @default(uuid())\n  name                    String\n  prefix                  String\n  environment             String\n  /// Space-separated scope names; null means the owner\'s full rights.\n  scopes                  String?\n  secretHash              String          @unique\n  previousSecretHash      String?         @unique\n  previousSecretExpiresAt DateTime?\n  userId                  String?\n  user                    User?           @relation(fields: [userId], references: [id], onDelete: Cascade)\n  serviceAccountId        String?\n  serviceAccount          ServiceAccount? @relation(fields: [serviceAccountId], references: [id], onDelete: Cascade)\n  createdAt               DateTime        @default(now())\n  lastUsedAt              DateTime?\n  expiresAt               DateTime?\n  revokedAt               DateTime?\n\n  @@index([userId, createdAt, id])\n  @@index([serviceAccountId, createdAt, id])\n}\n\n/// The activity and audit log of every credential. No foreign keys: the log outlives what it describes.\nmodel TokenEvent {\n  id               String   @id @default(uuid())\n  at               DateTime @default(now())\n  action           String\n  outcome          String\n  operation        String?\n  ip               String?\n  userAgent        String?\n  userId           String?\n  serviceAccountId String?\n  sessionId        String?\n  apiKeyId         String?\n\n  @@index([sessionId, at, id])\n  @@index([apiKeyId, at, id])\n  @@index([userId, at, id])\n}\n\n/// An e-mail challenge: a six-digit code and a link uid, both stored as hashes.\n/// purpose is VERIFY_EMAIL or RESET_PASSWORD.\nmodel Challenge {\n  id             String    @id @default(uuid())\n  userId         String\n  user           User      @relation(fields: [userId], references: [id], onDelete: Cascade)\n  purpose        String\n  email          String\n  codeHash       String\n  uidHash        String    @unique\n  attempts       Int       @default(0)\n  createdAt      DateTime  @default(now())\n  expiresAt      DateTime\n  verifiedAt     DateTime?\n  consumedAt     DateTime?\n  resetTokenHash String?   @unique\n\n  @@index([userId, purpose, createdAt])\n  @@index([email, purpose, createdAt])\n}\n',
      "inlineSchemaHash": "d415e02eb496122aee098d0e6054281479b6e287bebd48435349a54c8e5610a5",
      "copyEngine": true,
      "runtimeDataModel": {
        "models": {},
        "enums": {},
        "types": {}
      },
      "dirname": ""
    };
    config.runtimeDataModel = JSON.parse('{"models":{"User":{"fields":[{"name":"id","kind":"scalar","type":"String"},{"name":"username","kind":"scalar","type":"String"},{"name":"email","kind":"scalar","type":"String"},{"name":"fullName","kind":"scalar","type":"String"},{"name":"passwordHash","kind":"scalar","type":"String"},{"name":"emailVerified","kind":"scalar","type":"Boolean"},{"name":"role","kind":"scalar","type":"String"},{"name":"plan","kind":"scalar","type":"String"},{"name":"googleSubject","kind":"scalar","type":"String"},{"name":"disabledAt","kind":"scalar","type":"DateTime"},{"name":"createdAt","kind":"scalar","type":"DateTime"},{"name":"updatedAt","kind":"scalar","type":"DateTime"},{"name":"sessions","kind":"object","type":"Session","relationName":"SessionToUser"},{"name":"apiKeys","kind":"object","type":"ApiKey","relationName":"ApiKeyToUser"},{"name":"challenges","kind":"object","type":"Challenge","relationName":"ChallengeToUser"}],"dbName":null},"Session":{"fields":[{"name":"id","kind":"scalar","type":"String"},{"name":"userId","kind":"scalar","type":"String"},{"name":"user","kind":"object","type":"User","relationName":"SessionToUser"},{"name":"name","kind":"scalar","type":"String"},{"name":"userAgent","kind":"scalar","type":"String"},{"name":"clientType","kind":"scalar","type":"String"},{"name":"rememberMe","kind":"scalar","type":"Boolean"},{"name":"createdAt","kind":"scalar","type":"DateTime"},{"name":"lastUsedAt","kind":"scalar","type":"DateTime"},{"name":"expiresAt","kind":"scalar","type":"DateTime"},{"name":"revokedAt","kind":"scalar","type":"DateTime"},{"name":"revokeReason","kind":"scalar","type":"String"},{"name":"refreshTokens","kind":"object","type":"RefreshToken","relationName":"RefreshTokenToSession"}],"dbName":null},"RefreshToken":{"fields":[{"name":"tokenHash","kind":"scalar","type":"String"},{"name":"sessionId","kind":"scalar","type":"String"},{"name":"session","kind":"object","type":"Session","relationName":"RefreshTokenToSession"},{"name":"generation","kind":"scalar","type":"Int"},{"name":"createdAt","kind":"scalar","type":"DateTime"},{"name":"rotatedAt","kind":"scalar","type":"DateTime"}],"dbName":null},"ServiceAccount":{"fields":[{"name":"id","kind":"scalar","type":"String"},{"name":"name","kind":"scalar","type":"String"},{"name":"description","kind":"scalar","type":"String"},{"name":"role","kind":"scalar","type":"String"},{"name":"scopes","kind":"scalar","type":"String"},{"name":"plan","kind":"scalar","type":"String"},{"name":"createdById","kind":"scalar","type":"String"},{"name":"createdAt","kind":"scalar","type":"DateTime"},{"name":"disabledAt","kind":"scalar","type":"DateTime"},{"name":"apiKeys","kind":"object","type":"ApiKey","relationName":"ApiKeyToServiceAccount"}],"dbName":null},"ApiKey":{"fields":[{"name":"id","kind":"scalar","type":"String"},{"name":"name","kind":"scalar","type":"String"},{"name":"prefix","kind":"scalar","type":"String"},{"name":"environment","kind":"scalar","type":"String"},{"name":"scopes","kind":"scalar","type":"String"},{"name":"secretHash","kind":"scalar","type":"String"},{"name":"previousSecretHash","kind":"scalar","type":"String"},{"name":"previousSecretExpiresAt","kind":"scalar","type":"DateTime"},{"name":"userId","kind":"scalar","type":"String"},{"name":"user","kind":"object","type":"User","relationName":"ApiKeyToUser"},{"name":"serviceAccountId","kind":"scalar","type":"String"},{"name":"serviceAccount","kind":"object","type":"ServiceAccount","relationName":"ApiKeyToServiceAccount"},{"name":"createdAt","kind":"scalar","type":"DateTime"},{"name":"lastUsedAt","kind":"scalar","type":"DateTime"},{"name":"expiresAt","kind":"scalar","type":"DateTime"},{"name":"revokedAt","kind":"scalar","type":"DateTime"}],"dbName":null},"TokenEvent":{"fields":[{"name":"id","kind":"scalar","type":"String"},{"name":"at","kind":"scalar","type":"DateTime"},{"name":"action","kind":"scalar","type":"String"},{"name":"outcome","kind":"scalar","type":"String"},{"name":"operation","kind":"scalar","type":"String"},{"name":"ip","kind":"scalar","type":"String"},{"name":"userAgent","kind":"scalar","type":"String"},{"name":"userId","kind":"scalar","type":"String"},{"name":"serviceAccountId","kind":"scalar","type":"String"},{"name":"sessionId","kind":"scalar","type":"String"},{"name":"apiKeyId","kind":"scalar","type":"String"}],"dbName":null},"Challenge":{"fields":[{"name":"id","kind":"scalar","type":"String"},{"name":"userId","kind":"scalar","type":"String"},{"name":"user","kind":"object","type":"User","relationName":"ChallengeToUser"},{"name":"purpose","kind":"scalar","type":"String"},{"name":"email","kind":"scalar","type":"String"},{"name":"codeHash","kind":"scalar","type":"String"},{"name":"uidHash","kind":"scalar","type":"String"},{"name":"attempts","kind":"scalar","type":"Int"},{"name":"createdAt","kind":"scalar","type":"DateTime"},{"name":"expiresAt","kind":"scalar","type":"DateTime"},{"name":"verifiedAt","kind":"scalar","type":"DateTime"},{"name":"consumedAt","kind":"scalar","type":"DateTime"},{"name":"resetTokenHash","kind":"scalar","type":"String"}],"dbName":null}},"enums":{},"types":{}}');
    config.engineWasm = void 0;
    config.compilerWasm = {
      getRuntime: async () => await import("@prisma/client/runtime/query_compiler_bg.sqlite.mjs"),
      getQueryCompilerWasmModule: async () => {
        const { wasm } = await import("@prisma/client/runtime/query_compiler_bg.sqlite.wasm-base64.mjs");
        return await decodeBase64AsWasm(wasm);
      }
    };
  }
});

// src/generated/sqlite/internal/prismaNamespace.ts
var prismaNamespace_exports = {};
__export(prismaNamespace_exports, {
  AnyNull: () => AnyNull,
  ApiKeyScalarFieldEnum: () => ApiKeyScalarFieldEnum,
  ChallengeScalarFieldEnum: () => ChallengeScalarFieldEnum,
  DbNull: () => DbNull,
  Decimal: () => Decimal2,
  JsonNull: () => JsonNull,
  ModelName: () => ModelName,
  NullTypes: () => NullTypes,
  NullsOrder: () => NullsOrder,
  PrismaClientInitializationError: () => PrismaClientInitializationError2,
  PrismaClientKnownRequestError: () => PrismaClientKnownRequestError2,
  PrismaClientRustPanicError: () => PrismaClientRustPanicError2,
  PrismaClientUnknownRequestError: () => PrismaClientUnknownRequestError2,
  PrismaClientValidationError: () => PrismaClientValidationError2,
  RefreshTokenScalarFieldEnum: () => RefreshTokenScalarFieldEnum,
  ServiceAccountScalarFieldEnum: () => ServiceAccountScalarFieldEnum,
  SessionScalarFieldEnum: () => SessionScalarFieldEnum,
  SortOrder: () => SortOrder,
  Sql: () => Sql2,
  TokenEventScalarFieldEnum: () => TokenEventScalarFieldEnum,
  TransactionIsolationLevel: () => TransactionIsolationLevel,
  UserScalarFieldEnum: () => UserScalarFieldEnum,
  defineExtension: () => defineExtension,
  empty: () => empty2,
  getExtensionContext: () => getExtensionContext,
  join: () => join4,
  prismaVersion: () => prismaVersion,
  raw: () => raw2,
  sql: () => sql
});
import * as runtime2 from "@prisma/client/runtime/client";
var PrismaClientKnownRequestError2, PrismaClientUnknownRequestError2, PrismaClientRustPanicError2, PrismaClientInitializationError2, PrismaClientValidationError2, sql, empty2, join4, raw2, Sql2, Decimal2, getExtensionContext, prismaVersion, NullTypes, DbNull, JsonNull, AnyNull, ModelName, TransactionIsolationLevel, UserScalarFieldEnum, SessionScalarFieldEnum, RefreshTokenScalarFieldEnum, ServiceAccountScalarFieldEnum, ApiKeyScalarFieldEnum, TokenEventScalarFieldEnum, ChallengeScalarFieldEnum, SortOrder, NullsOrder, defineExtension;
var init_prismaNamespace = __esm({
  "src/generated/sqlite/internal/prismaNamespace.ts"() {
    "use strict";
    PrismaClientKnownRequestError2 = runtime2.PrismaClientKnownRequestError;
    PrismaClientUnknownRequestError2 = runtime2.PrismaClientUnknownRequestError;
    PrismaClientRustPanicError2 = runtime2.PrismaClientRustPanicError;
    PrismaClientInitializationError2 = runtime2.PrismaClientInitializationError;
    PrismaClientValidationError2 = runtime2.PrismaClientValidationError;
    sql = runtime2.sqltag;
    empty2 = runtime2.empty;
    join4 = runtime2.join;
    raw2 = runtime2.raw;
    Sql2 = runtime2.Sql;
    Decimal2 = runtime2.Decimal;
    getExtensionContext = runtime2.Extensions.getExtensionContext;
    prismaVersion = {
      client: "6.19.3",
      engine: "c2990dca591cba766e3b7ef5d9e8a84796e47ab7"
    };
    NullTypes = {
      DbNull: runtime2.objectEnumValues.classes.DbNull,
      JsonNull: runtime2.objectEnumValues.classes.JsonNull,
      AnyNull: runtime2.objectEnumValues.classes.AnyNull
    };
    DbNull = runtime2.objectEnumValues.instances.DbNull;
    JsonNull = runtime2.objectEnumValues.instances.JsonNull;
    AnyNull = runtime2.objectEnumValues.instances.AnyNull;
    ModelName = {
      User: "User",
      Session: "Session",
      RefreshToken: "RefreshToken",
      ServiceAccount: "ServiceAccount",
      ApiKey: "ApiKey",
      TokenEvent: "TokenEvent",
      Challenge: "Challenge"
    };
    TransactionIsolationLevel = runtime2.makeStrictEnum({
      Serializable: "Serializable"
    });
    UserScalarFieldEnum = {
      id: "id",
      username: "username",
      email: "email",
      fullName: "fullName",
      passwordHash: "passwordHash",
      emailVerified: "emailVerified",
      role: "role",
      plan: "plan",
      googleSubject: "googleSubject",
      disabledAt: "disabledAt",
      createdAt: "createdAt",
      updatedAt: "updatedAt"
    };
    SessionScalarFieldEnum = {
      id: "id",
      userId: "userId",
      name: "name",
      userAgent: "userAgent",
      clientType: "clientType",
      rememberMe: "rememberMe",
      createdAt: "createdAt",
      lastUsedAt: "lastUsedAt",
      expiresAt: "expiresAt",
      revokedAt: "revokedAt",
      revokeReason: "revokeReason"
    };
    RefreshTokenScalarFieldEnum = {
      tokenHash: "tokenHash",
      sessionId: "sessionId",
      generation: "generation",
      createdAt: "createdAt",
      rotatedAt: "rotatedAt"
    };
    ServiceAccountScalarFieldEnum = {
      id: "id",
      name: "name",
      description: "description",
      role: "role",
      scopes: "scopes",
      plan: "plan",
      createdById: "createdById",
      createdAt: "createdAt",
      disabledAt: "disabledAt"
    };
    ApiKeyScalarFieldEnum = {
      id: "id",
      name: "name",
      prefix: "prefix",
      environment: "environment",
      scopes: "scopes",
      secretHash: "secretHash",
      previousSecretHash: "previousSecretHash",
      previousSecretExpiresAt: "previousSecretExpiresAt",
      userId: "userId",
      serviceAccountId: "serviceAccountId",
      createdAt: "createdAt",
      lastUsedAt: "lastUsedAt",
      expiresAt: "expiresAt",
      revokedAt: "revokedAt"
    };
    TokenEventScalarFieldEnum = {
      id: "id",
      at: "at",
      action: "action",
      outcome: "outcome",
      operation: "operation",
      ip: "ip",
      userAgent: "userAgent",
      userId: "userId",
      serviceAccountId: "serviceAccountId",
      sessionId: "sessionId",
      apiKeyId: "apiKeyId"
    };
    ChallengeScalarFieldEnum = {
      id: "id",
      userId: "userId",
      purpose: "purpose",
      email: "email",
      codeHash: "codeHash",
      uidHash: "uidHash",
      attempts: "attempts",
      createdAt: "createdAt",
      expiresAt: "expiresAt",
      verifiedAt: "verifiedAt",
      consumedAt: "consumedAt",
      resetTokenHash: "resetTokenHash"
    };
    SortOrder = {
      asc: "asc",
      desc: "desc"
    };
    NullsOrder = {
      first: "first",
      last: "last"
    };
    defineExtension = runtime2.Extensions.defineExtension;
  }
});

// src/generated/sqlite/enums.ts
var enums_exports = {};
var init_enums = __esm({
  "src/generated/sqlite/enums.ts"() {
    "use strict";
  }
});

// src/generated/sqlite/client.ts
var client_exports = {};
__export(client_exports, {
  $Enums: () => enums_exports,
  Prisma: () => prismaNamespace_exports,
  PrismaClient: () => PrismaClient
});
import * as path from "node:path";
import { fileURLToPath } from "node:url";
var PrismaClient;
var init_client = __esm({
  "src/generated/sqlite/client.ts"() {
    "use strict";
    init_class();
    init_prismaNamespace();
    init_enums();
    init_enums();
    globalThis["__dirname"] = path.dirname(fileURLToPath(import.meta.url));
    PrismaClient = getPrismaClientClass(__dirname);
  }
});

// src/generated/postgresql/internal/class.ts
import * as runtime3 from "@prisma/client/runtime/client";
async function decodeBase64AsWasm2(wasmBase64) {
  const { Buffer: Buffer2 } = await import("node:buffer");
  const wasmArray = Buffer2.from(wasmBase64, "base64");
  return new WebAssembly.Module(wasmArray);
}
function getPrismaClientClass2(dirname4) {
  config2.dirname = dirname4;
  return runtime3.getPrismaClient(config2);
}
var config2;
var init_class2 = __esm({
  "src/generated/postgresql/internal/class.ts"() {
    "use strict";
    config2 = {
      "generator": {
        "name": "client",
        "provider": {
          "fromEnvVar": null,
          "value": "prisma-client"
        },
        "output": {
          "value": "/work/main/src/generated/postgresql",
          "fromEnvVar": null
        },
        "config": {
          "engineType": "client"
        },
        "binaryTargets": [
          {
            "fromEnvVar": null,
            "value": "debian-openssl-3.0.x",
            "native": true
          }
        ],
        "previewFeatures": [],
        "sourceFilePath": "/work/main/prisma/postgresql/schema.prisma",
        "isCustomOutput": true
      },
      "relativePath": "../../../prisma/postgresql",
      "clientVersion": "6.19.3",
      "engineVersion": "c2990dca591cba766e3b7ef5d9e8a84796e47ab7",
      "datasourceNames": [
        "db"
      ],
      "activeProvider": "postgresql",
      "postinstall": false,
      "inlineDatasources": {
        "db": {
          "url": {
            "fromEnvVar": "DATABASE_URL",
            "value": null
          }
        }
      },
      "inlineSchema": `// GENERATED from prisma/schema.prisma by scripts/prisma-schemas.ts: do not edit.

generator client {
  provider   = "prisma-client"
  output     = "../../src/generated/postgresql"
  engineType = "client"
}

datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id            String      @id @default(uuid())
  username      String      @unique
  email         String      @unique
  fullName      String?
  passwordHash  String?
  emailVerified Boolean     @default(false)
  role          String      @default("USER")
  plan          String      @default("FREE")
  googleSubject String?     @unique
  disabledAt    DateTime?
  createdAt     DateTime    @default(now())
  updatedAt     DateTime    @updatedAt
  sessions      Session[]
  apiKeys       ApiKey[]
  challenges    Challenge[]
}

model Session {
  id            String         @id @default(uuid())
  userId        String
  user          User           @relation(fields: [userId], references: [id], onDelete: Cascade)
  name          String
  userAgent     String
  clientType    String
  rememberMe    Boolean
  createdAt     DateTime       @default(now())
  lastUsedAt    DateTime       @default(now())
  expiresAt     DateTime
  revokedAt     DateTime?
  revokeReason  String?
  refreshTokens RefreshToken[]

  @@index([userId, revokedAt])
}

/// One row per refresh token a session has issued; only a hash is kept.
/// rotatedAt is set when the token is exchanged for its successor.
model RefreshToken {
  tokenHash  String    @id
  sessionId  String
  session    Session   @relation(fields: [sessionId], references: [id], onDelete: Cascade)
  generation Int
  createdAt  DateTime  @default(now())
  rotatedAt  DateTime?

  @@index([sessionId, generation])
}

/// A non-human principal (CI, integrations): a fixed role and scopes, no password, no session.
model ServiceAccount {
  id          String    @id @default(uuid())
  name        String    @unique
  description String?
  role        String    @default("USER")
  /// Space-separated scope names.
  scopes      String    @default("")
  plan        String    @default("FREE")
  createdById String?
  createdAt   DateTime  @default(now())
  disabledAt  DateTime?
  apiKeys     ApiKey[]
}

/// Only hashes of key secrets are stored. Rolling a key moves the old hash to
/// previousSecretHash, accepted until previousSecretExpiresAt.
model ApiKey {
  id                      String          @id @default(uuid())
  name                    String
  prefix                  String
  environment             String
  /// Space-separated scope names; null means the owner's full rights.
  scopes                  String?
  secretHash              String          @unique
  previousSecretHash      String?         @unique
  previousSecretExpiresAt DateTime?
  userId                  String?
  user                    User?           @relation(fields: [userId], references: [id], onDelete: Cascade)
  serviceAccountId        String?
  serviceAccount          ServiceAccount? @relation(fields: [serviceAccountId], references: [id], onDelete: Cascade)
  createdAt               DateTime        @default(now())
  lastUsedAt              DateTime?
  expiresAt               DateTime?
  revokedAt               DateTime?

  @@index([userId, createdAt, id])
  @@index([serviceAccountId, createdAt, id])
}

/// The activity and audit log of every credential. No foreign keys: the log outlives what it describes.
model TokenEvent {
  id               String   @id @default(uuid())
  at               DateTime @default(now())
  action           String
  outcome          String
  operation        String?
  ip               String?
  userAgent        String?
  userId           String?
  serviceAccountId String?
  sessionId        String?
  apiKeyId         String?

  @@index([sessionId, at, id])
  @@index([apiKeyId, at, id])
  @@index([userId, at, id])
}

/// An e-mail challenge: a six-digit code and a link uid, both stored as hashes.
/// purpose is VERIFY_EMAIL or RESET_PASSWORD.
model Challenge {
  id             String    @id @default(uuid())
  userId         String
  user           User      @relation(fields: [userId], references: [id], onDelete: Cascade)
  purpose        String
  email          String
  codeHash       String
  uidHash        String    @unique
  attempts       Int       @default(0)
  createdAt      DateTime  @default(now())
  expiresAt      DateTime
  verifiedAt     DateTime?
  consumedAt     DateTime?
  resetTokenHash String?   @unique

  @@index([userId, purpose, createdAt])
  @@index([email, purpose, createdAt])
}
`,
      "inlineSchemaHash": "15d3b7308b3124125375c198c54485d68cbdebbd31ce2bf122f6d8c8e93c55ee",
      "copyEngine": true,
      "runtimeDataModel": {
        "models": {},
        "enums": {},
        "types": {}
      },
      "dirname": ""
    };
    config2.runtimeDataModel = JSON.parse('{"models":{"User":{"fields":[{"name":"id","kind":"scalar","type":"String"},{"name":"username","kind":"scalar","type":"String"},{"name":"email","kind":"scalar","type":"String"},{"name":"fullName","kind":"scalar","type":"String"},{"name":"passwordHash","kind":"scalar","type":"String"},{"name":"emailVerified","kind":"scalar","type":"Boolean"},{"name":"role","kind":"scalar","type":"String"},{"name":"plan","kind":"scalar","type":"String"},{"name":"googleSubject","kind":"scalar","type":"String"},{"name":"disabledAt","kind":"scalar","type":"DateTime"},{"name":"createdAt","kind":"scalar","type":"DateTime"},{"name":"updatedAt","kind":"scalar","type":"DateTime"},{"name":"sessions","kind":"object","type":"Session","relationName":"SessionToUser"},{"name":"apiKeys","kind":"object","type":"ApiKey","relationName":"ApiKeyToUser"},{"name":"challenges","kind":"object","type":"Challenge","relationName":"ChallengeToUser"}],"dbName":null},"Session":{"fields":[{"name":"id","kind":"scalar","type":"String"},{"name":"userId","kind":"scalar","type":"String"},{"name":"user","kind":"object","type":"User","relationName":"SessionToUser"},{"name":"name","kind":"scalar","type":"String"},{"name":"userAgent","kind":"scalar","type":"String"},{"name":"clientType","kind":"scalar","type":"String"},{"name":"rememberMe","kind":"scalar","type":"Boolean"},{"name":"createdAt","kind":"scalar","type":"DateTime"},{"name":"lastUsedAt","kind":"scalar","type":"DateTime"},{"name":"expiresAt","kind":"scalar","type":"DateTime"},{"name":"revokedAt","kind":"scalar","type":"DateTime"},{"name":"revokeReason","kind":"scalar","type":"String"},{"name":"refreshTokens","kind":"object","type":"RefreshToken","relationName":"RefreshTokenToSession"}],"dbName":null},"RefreshToken":{"fields":[{"name":"tokenHash","kind":"scalar","type":"String"},{"name":"sessionId","kind":"scalar","type":"String"},{"name":"session","kind":"object","type":"Session","relationName":"RefreshTokenToSession"},{"name":"generation","kind":"scalar","type":"Int"},{"name":"createdAt","kind":"scalar","type":"DateTime"},{"name":"rotatedAt","kind":"scalar","type":"DateTime"}],"dbName":null},"ServiceAccount":{"fields":[{"name":"id","kind":"scalar","type":"String"},{"name":"name","kind":"scalar","type":"String"},{"name":"description","kind":"scalar","type":"String"},{"name":"role","kind":"scalar","type":"String"},{"name":"scopes","kind":"scalar","type":"String"},{"name":"plan","kind":"scalar","type":"String"},{"name":"createdById","kind":"scalar","type":"String"},{"name":"createdAt","kind":"scalar","type":"DateTime"},{"name":"disabledAt","kind":"scalar","type":"DateTime"},{"name":"apiKeys","kind":"object","type":"ApiKey","relationName":"ApiKeyToServiceAccount"}],"dbName":null},"ApiKey":{"fields":[{"name":"id","kind":"scalar","type":"String"},{"name":"name","kind":"scalar","type":"String"},{"name":"prefix","kind":"scalar","type":"String"},{"name":"environment","kind":"scalar","type":"String"},{"name":"scopes","kind":"scalar","type":"String"},{"name":"secretHash","kind":"scalar","type":"String"},{"name":"previousSecretHash","kind":"scalar","type":"String"},{"name":"previousSecretExpiresAt","kind":"scalar","type":"DateTime"},{"name":"userId","kind":"scalar","type":"String"},{"name":"user","kind":"object","type":"User","relationName":"ApiKeyToUser"},{"name":"serviceAccountId","kind":"scalar","type":"String"},{"name":"serviceAccount","kind":"object","type":"ServiceAccount","relationName":"ApiKeyToServiceAccount"},{"name":"createdAt","kind":"scalar","type":"DateTime"},{"name":"lastUsedAt","kind":"scalar","type":"DateTime"},{"name":"expiresAt","kind":"scalar","type":"DateTime"},{"name":"revokedAt","kind":"scalar","type":"DateTime"}],"dbName":null},"TokenEvent":{"fields":[{"name":"id","kind":"scalar","type":"String"},{"name":"at","kind":"scalar","type":"DateTime"},{"name":"action","kind":"scalar","type":"String"},{"name":"outcome","kind":"scalar","type":"String"},{"name":"operation","kind":"scalar","type":"String"},{"name":"ip","kind":"scalar","type":"String"},{"name":"userAgent","kind":"scalar","type":"String"},{"name":"userId","kind":"scalar","type":"String"},{"name":"serviceAccountId","kind":"scalar","type":"String"},{"name":"sessionId","kind":"scalar","type":"String"},{"name":"apiKeyId","kind":"scalar","type":"String"}],"dbName":null},"Challenge":{"fields":[{"name":"id","kind":"scalar","type":"String"},{"name":"userId","kind":"scalar","type":"String"},{"name":"user","kind":"object","type":"User","relationName":"ChallengeToUser"},{"name":"purpose","kind":"scalar","type":"String"},{"name":"email","kind":"scalar","type":"String"},{"name":"codeHash","kind":"scalar","type":"String"},{"name":"uidHash","kind":"scalar","type":"String"},{"name":"attempts","kind":"scalar","type":"Int"},{"name":"createdAt","kind":"scalar","type":"DateTime"},{"name":"expiresAt","kind":"scalar","type":"DateTime"},{"name":"verifiedAt","kind":"scalar","type":"DateTime"},{"name":"consumedAt","kind":"scalar","type":"DateTime"},{"name":"resetTokenHash","kind":"scalar","type":"String"}],"dbName":null}},"enums":{},"types":{}}');
    config2.engineWasm = void 0;
    config2.compilerWasm = {
      getRuntime: async () => await import("@prisma/client/runtime/query_compiler_bg.postgresql.mjs"),
      getQueryCompilerWasmModule: async () => {
        const { wasm } = await import("@prisma/client/runtime/query_compiler_bg.postgresql.wasm-base64.mjs");
        return await decodeBase64AsWasm2(wasm);
      }
    };
  }
});

// src/generated/postgresql/internal/prismaNamespace.ts
var prismaNamespace_exports2 = {};
__export(prismaNamespace_exports2, {
  AnyNull: () => AnyNull2,
  ApiKeyScalarFieldEnum: () => ApiKeyScalarFieldEnum2,
  ChallengeScalarFieldEnum: () => ChallengeScalarFieldEnum2,
  DbNull: () => DbNull2,
  Decimal: () => Decimal4,
  JsonNull: () => JsonNull2,
  ModelName: () => ModelName2,
  NullTypes: () => NullTypes2,
  NullsOrder: () => NullsOrder2,
  PrismaClientInitializationError: () => PrismaClientInitializationError4,
  PrismaClientKnownRequestError: () => PrismaClientKnownRequestError4,
  PrismaClientRustPanicError: () => PrismaClientRustPanicError4,
  PrismaClientUnknownRequestError: () => PrismaClientUnknownRequestError4,
  PrismaClientValidationError: () => PrismaClientValidationError4,
  QueryMode: () => QueryMode,
  RefreshTokenScalarFieldEnum: () => RefreshTokenScalarFieldEnum2,
  ServiceAccountScalarFieldEnum: () => ServiceAccountScalarFieldEnum2,
  SessionScalarFieldEnum: () => SessionScalarFieldEnum2,
  SortOrder: () => SortOrder2,
  Sql: () => Sql4,
  TokenEventScalarFieldEnum: () => TokenEventScalarFieldEnum2,
  TransactionIsolationLevel: () => TransactionIsolationLevel2,
  UserScalarFieldEnum: () => UserScalarFieldEnum2,
  defineExtension: () => defineExtension2,
  empty: () => empty4,
  getExtensionContext: () => getExtensionContext2,
  join: () => join6,
  prismaVersion: () => prismaVersion2,
  raw: () => raw4,
  sql: () => sql2
});
import * as runtime4 from "@prisma/client/runtime/client";
var PrismaClientKnownRequestError4, PrismaClientUnknownRequestError4, PrismaClientRustPanicError4, PrismaClientInitializationError4, PrismaClientValidationError4, sql2, empty4, join6, raw4, Sql4, Decimal4, getExtensionContext2, prismaVersion2, NullTypes2, DbNull2, JsonNull2, AnyNull2, ModelName2, TransactionIsolationLevel2, UserScalarFieldEnum2, SessionScalarFieldEnum2, RefreshTokenScalarFieldEnum2, ServiceAccountScalarFieldEnum2, ApiKeyScalarFieldEnum2, TokenEventScalarFieldEnum2, ChallengeScalarFieldEnum2, SortOrder2, QueryMode, NullsOrder2, defineExtension2;
var init_prismaNamespace2 = __esm({
  "src/generated/postgresql/internal/prismaNamespace.ts"() {
    "use strict";
    PrismaClientKnownRequestError4 = runtime4.PrismaClientKnownRequestError;
    PrismaClientUnknownRequestError4 = runtime4.PrismaClientUnknownRequestError;
    PrismaClientRustPanicError4 = runtime4.PrismaClientRustPanicError;
    PrismaClientInitializationError4 = runtime4.PrismaClientInitializationError;
    PrismaClientValidationError4 = runtime4.PrismaClientValidationError;
    sql2 = runtime4.sqltag;
    empty4 = runtime4.empty;
    join6 = runtime4.join;
    raw4 = runtime4.raw;
    Sql4 = runtime4.Sql;
    Decimal4 = runtime4.Decimal;
    getExtensionContext2 = runtime4.Extensions.getExtensionContext;
    prismaVersion2 = {
      client: "6.19.3",
      engine: "c2990dca591cba766e3b7ef5d9e8a84796e47ab7"
    };
    NullTypes2 = {
      DbNull: runtime4.objectEnumValues.classes.DbNull,
      JsonNull: runtime4.objectEnumValues.classes.JsonNull,
      AnyNull: runtime4.objectEnumValues.classes.AnyNull
    };
    DbNull2 = runtime4.objectEnumValues.instances.DbNull;
    JsonNull2 = runtime4.objectEnumValues.instances.JsonNull;
    AnyNull2 = runtime4.objectEnumValues.instances.AnyNull;
    ModelName2 = {
      User: "User",
      Session: "Session",
      RefreshToken: "RefreshToken",
      ServiceAccount: "ServiceAccount",
      ApiKey: "ApiKey",
      TokenEvent: "TokenEvent",
      Challenge: "Challenge"
    };
    TransactionIsolationLevel2 = runtime4.makeStrictEnum({
      ReadUncommitted: "ReadUncommitted",
      ReadCommitted: "ReadCommitted",
      RepeatableRead: "RepeatableRead",
      Serializable: "Serializable"
    });
    UserScalarFieldEnum2 = {
      id: "id",
      username: "username",
      email: "email",
      fullName: "fullName",
      passwordHash: "passwordHash",
      emailVerified: "emailVerified",
      role: "role",
      plan: "plan",
      googleSubject: "googleSubject",
      disabledAt: "disabledAt",
      createdAt: "createdAt",
      updatedAt: "updatedAt"
    };
    SessionScalarFieldEnum2 = {
      id: "id",
      userId: "userId",
      name: "name",
      userAgent: "userAgent",
      clientType: "clientType",
      rememberMe: "rememberMe",
      createdAt: "createdAt",
      lastUsedAt: "lastUsedAt",
      expiresAt: "expiresAt",
      revokedAt: "revokedAt",
      revokeReason: "revokeReason"
    };
    RefreshTokenScalarFieldEnum2 = {
      tokenHash: "tokenHash",
      sessionId: "sessionId",
      generation: "generation",
      createdAt: "createdAt",
      rotatedAt: "rotatedAt"
    };
    ServiceAccountScalarFieldEnum2 = {
      id: "id",
      name: "name",
      description: "description",
      role: "role",
      scopes: "scopes",
      plan: "plan",
      createdById: "createdById",
      createdAt: "createdAt",
      disabledAt: "disabledAt"
    };
    ApiKeyScalarFieldEnum2 = {
      id: "id",
      name: "name",
      prefix: "prefix",
      environment: "environment",
      scopes: "scopes",
      secretHash: "secretHash",
      previousSecretHash: "previousSecretHash",
      previousSecretExpiresAt: "previousSecretExpiresAt",
      userId: "userId",
      serviceAccountId: "serviceAccountId",
      createdAt: "createdAt",
      lastUsedAt: "lastUsedAt",
      expiresAt: "expiresAt",
      revokedAt: "revokedAt"
    };
    TokenEventScalarFieldEnum2 = {
      id: "id",
      at: "at",
      action: "action",
      outcome: "outcome",
      operation: "operation",
      ip: "ip",
      userAgent: "userAgent",
      userId: "userId",
      serviceAccountId: "serviceAccountId",
      sessionId: "sessionId",
      apiKeyId: "apiKeyId"
    };
    ChallengeScalarFieldEnum2 = {
      id: "id",
      userId: "userId",
      purpose: "purpose",
      email: "email",
      codeHash: "codeHash",
      uidHash: "uidHash",
      attempts: "attempts",
      createdAt: "createdAt",
      expiresAt: "expiresAt",
      verifiedAt: "verifiedAt",
      consumedAt: "consumedAt",
      resetTokenHash: "resetTokenHash"
    };
    SortOrder2 = {
      asc: "asc",
      desc: "desc"
    };
    QueryMode = {
      default: "default",
      insensitive: "insensitive"
    };
    NullsOrder2 = {
      first: "first",
      last: "last"
    };
    defineExtension2 = runtime4.Extensions.defineExtension;
  }
});

// src/generated/postgresql/enums.ts
var enums_exports2 = {};
var init_enums2 = __esm({
  "src/generated/postgresql/enums.ts"() {
    "use strict";
  }
});

// src/generated/postgresql/client.ts
var client_exports2 = {};
__export(client_exports2, {
  $Enums: () => enums_exports2,
  Prisma: () => prismaNamespace_exports2,
  PrismaClient: () => PrismaClient2
});
import * as path2 from "node:path";
import { fileURLToPath as fileURLToPath2 } from "node:url";
var PrismaClient2;
var init_client2 = __esm({
  "src/generated/postgresql/client.ts"() {
    "use strict";
    init_class2();
    init_prismaNamespace2();
    init_enums2();
    init_enums2();
    globalThis["__dirname"] = path2.dirname(fileURLToPath2(import.meta.url));
    PrismaClient2 = getPrismaClientClass2(__dirname);
  }
});

// src/app.ts
import { Hono } from "hono";
import { createYoga } from "graphql-yoga";

// src/crypto/hash.ts
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
function sha256(value) {
  return createHash("sha256").update(value).digest("base64url");
}
function hmacSha256(secret, value) {
  return createHmac("sha256", secret).update(value).digest("base64url");
}
function constantTimeEqual(a, b) {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

// src/crypto/random.ts
import { randomBytes } from "node:crypto";
function randomToken(bytes = 32) {
  return randomBytes(bytes).toString("base64url");
}

// src/apikeys/key-format.ts
var randomBytes2 = 32;
var randomLength = 43;
var displayRandomLength = 4;
function newKeySecret(prefix, environment, serverSecret) {
  const random = randomToken(randomBytes2);
  const head = `${prefix}_${environment.toLowerCase()}_`;
  const rawKey = head + random;
  return { rawKey, displayPrefix: head + random.slice(0, displayRandomLength), secretHash: apiKeyHash(serverSecret, rawKey) };
}
var apiKeyHash = (serverSecret, rawKey) => hmacSha256(serverSecret, `api-key:${rawKey}`);
function looksLikeApiKey(prefix, value) {
  const rest = value.startsWith(`${prefix}_live_`) || value.startsWith(`${prefix}_test_`) ? value.slice(prefix.length + 6) : "";
  return rest.length === randomLength && /^[\w-]+$/.test(rest);
}

// src/apikeys/scopes.ts
var apiKeyScopes = ["account:read", "tokens:read", "admin"];
var roles = ["USER", "ADMIN"];
var keyEnvironments = ["LIVE", "TEST"];
var parseScopes = (stored) => stored.split(" ").filter((scope) => apiKeyScopes.includes(scope));
var storeScopes = (scopes) => [...new Set(scopes)].sort().join(" ");
var scopesOfRole = (role) => apiKeyScopes.filter((scope) => scope !== "admin" || role === "ADMIN");
function effectiveScopes(ownerScopes, keyScopes) {
  if (keyScopes === null) return [...ownerScopes];
  const narrowed = new Set(parseScopes(keyScopes));
  return ownerScopes.filter((scope) => narrowed.has(scope));
}

// src/apikeys/verify.ts
var keyForVerification = {
  id: true,
  name: true,
  environment: true,
  scopes: true,
  secretHash: true,
  previousSecretHash: true,
  previousSecretExpiresAt: true,
  expiresAt: true,
  revokedAt: true,
  userId: true,
  serviceAccountId: true,
  user: { select: { role: true, plan: true, disabledAt: true } },
  serviceAccount: { select: { role: true, plan: true, scopes: true, disabledAt: true } }
};
async function verifyApiKey(runtime6, rawKey, client) {
  const secretHash = apiKeyHash(runtime6.serverSecret, rawKey);
  const nowMs = runtime6.clock().getTime();
  let cached = runtime6.apiKeyCache.get(secretHash, nowMs);
  if (!cached) {
    const row = await runtime6.db.apiKey.findFirst({
      where: { OR: [{ secretHash }, { previousSecretHash: secretHash }] },
      select: keyForVerification
    });
    if (!row) return null;
    cached = toCachedKey(row, secretHash);
    runtime6.apiKeyCache.set(secretHash, cached, nowMs);
  }
  if (cached.principal && (cached.validUntilMs === null || nowMs < cached.validUntilMs)) return cached.principal;
  runtime6.tokenEvents.record({ action: "request", outcome: "UNAUTHENTICATED", client, apiKeyId: cached.keyId, ...cached.owner });
  return null;
}
function toCachedKey(row, secretHash) {
  const isCurrent = constantTimeEqual(row.secretHash, secretHash);
  const isPrevious = !isCurrent && row.previousSecretHash !== null && constantTimeEqual(row.previousSecretHash, secretHash);
  const secretValidUntil = isCurrent ? null : row.previousSecretExpiresAt?.getTime() ?? 0;
  const keyValidUntil = row.expiresAt?.getTime() ?? null;
  const validUntilMs = secretValidUntil === null ? keyValidUntil : keyValidUntil === null ? secretValidUntil : Math.min(secretValidUntil, keyValidUntil);
  const owner = { userId: row.userId, serviceAccountId: row.serviceAccountId };
  const ownerScopes = row.user ? !row.user.disabledAt && scopesOfRole(row.user.role) : row.serviceAccount && !row.serviceAccount.disabledAt && effectiveScopes(scopesOfRole(row.serviceAccount.role), row.serviceAccount.scopes);
  const accepted = (isCurrent || isPrevious) && !row.revokedAt && ownerScopes;
  const principal = accepted ? {
    kind: "apiKey",
    keyId: row.id,
    keyName: row.name,
    ...owner,
    scopes: effectiveScopes(ownerScopes, row.scopes),
    environment: row.environment === "TEST" ? "TEST" : "LIVE",
    plan: (row.user ?? row.serviceAccount)?.plan ?? "FREE"
  } : null;
  return { keyId: row.id, principal, validUntilMs, owner };
}

// src/crypto/access-token.ts
import { jwtVerify, SignJWT } from "jose";

// src/crypto/signing-keys.ts
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exportJWK, generateKeyPair, importJWK } from "jose";
var signingAlgorithm = "EdDSA";
async function generateStoredKey() {
  const { privateKey } = await generateKeyPair(signingAlgorithm, { crv: "Ed25519", extractable: true });
  const privateJwk = { ...await exportJWK(privateKey), kid: randomToken(12), alg: signingAlgorithm, use: "sig" };
  return { privateJwk, createdAt: (/* @__PURE__ */ new Date()).toISOString() };
}
async function loadSigningKeys(dataDir, privateJwkFromEnv) {
  let stored;
  if (privateJwkFromEnv) {
    stored = [{ privateJwk: JSON.parse(privateJwkFromEnv), createdAt: "" }];
  } else {
    const file = join(dataDir, "signing-keys.json");
    if (existsSync(file)) {
      stored = JSON.parse(readFileSync(file, "utf8"));
    } else {
      stored = [await generateStoredKey()];
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 384, flag: "wx" });
    }
  }
  return importSigningKeys(stored.map((key) => key.privateJwk));
}
async function importSigningKeys(privateJwks) {
  const verificationKeys = /* @__PURE__ */ new Map();
  const publicJwks = [];
  for (const { d: _private, ...publicJwk } of privateJwks) {
    if (!publicJwk.kid) throw new Error("every signing key needs a kid");
    verificationKeys.set(publicJwk.kid, await importJWK(publicJwk, signingAlgorithm));
    publicJwks.push({ ...publicJwk, alg: signingAlgorithm, use: "sig" });
  }
  const [newest] = privateJwks;
  if (!newest?.kid) throw new Error("no signing key");
  const privateKey = await importJWK(newest, signingAlgorithm);
  return { current: { kid: newest.kid, privateKey }, verificationKeys, jwks: { keys: publicJwks } };
}

// src/crypto/access-token.ts
function issueAccessToken(keys, settings, claims) {
  const issuedAt = Math.floor(claims.issuedAt.getTime() / 1e3);
  return new SignJWT({ sid: claims.sessionId }).setProtectedHeader({ alg: signingAlgorithm, kid: keys.current.kid, typ: "at+jwt" }).setIssuer(settings.issuer).setAudience(settings.audience).setSubject(claims.userId).setJti(claims.tokenId).setIssuedAt(issuedAt).setExpirationTime(issuedAt + settings.ttlSeconds).sign(keys.current.privateKey);
}
async function verifyAccessToken(keys, settings, token, now) {
  try {
    const { payload: payload2 } = await jwtVerify(
      token,
      (header) => {
        const key = header.kid ? keys.verificationKeys.get(header.kid) : void 0;
        if (!key) throw new Error("unknown kid");
        return key;
      },
      {
        algorithms: [signingAlgorithm],
        issuer: settings.issuer,
        audience: settings.audience,
        typ: "at+jwt",
        currentDate: now,
        requiredClaims: ["iss", "aud", "exp", "iat", "sub", "jti", "sid"]
      }
    );
    if (typeof payload2.sid !== "string" || !payload2.sub || !payload2.jti || !payload2.exp) return null;
    return { userId: payload2.sub, sessionId: payload2.sid, tokenId: payload2.jti, expiresAt: new Date(payload2.exp * 1e3) };
  } catch {
    return null;
  }
}

// src/errors.ts
var errorCodes = {
  UNAUTHENTICATED: { status: 401, message: "Authentication required: the credential is missing, invalid, expired or revoked." },
  FORBIDDEN: { status: 403, message: "This credential is not allowed to do that." },
  BAD_USER_INPUT: { status: 422, message: "The input is not valid." },
  CONFLICT: { status: 409, message: "That already exists." },
  NOT_FOUND: { status: 404, message: "Not found." },
  SESSION_MISMATCH: { status: 401, message: "This refresh token belongs to another client; sign in again." },
  RATE_LIMITED: { status: 429, message: "Too many requests; retry later." },
  NOT_CONFIGURED: { status: 501, message: "This feature is not configured on this server." },
  UPSTREAM_UNAVAILABLE: { status: 503, message: "A service this request depends on could not be reached; retry later." },
  INTERNAL: { status: 500, message: "Unexpected error." }
};
var AppError = class extends Error {
  code;
  fields;
  retryAfter;
  constructor(code, options = {}) {
    super(options.message ?? errorCodes[code].message);
    this.name = "AppError";
    this.code = code;
    this.fields = options.fields;
    this.retryAfter = options.retryAfter;
  }
  get status() {
    return errorCodes[this.code].status;
  }
};
function badInput(fields) {
  return new AppError("BAD_USER_INPUT", {
    message: `Invalid input: ${fields.map((problem) => `${problem.field}: ${problem.message}`).join("; ")}`,
    fields
  });
}

// src/limits/limits.ts
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";

// src/metrics.ts
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
var metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });
var httpRequests = new Counter({
  name: "authgraph_http_requests_total",
  help: "HTTP requests answered, by method, route pattern, GraphQL operation (type and first field) and status.",
  labelNames: ["method", "route", "operation", "status"],
  registers: [metricsRegistry]
});
var httpRequestDuration = new Histogram({
  name: "authgraph_http_request_duration_seconds",
  help: "Time to answer an HTTP request, by method, route pattern and GraphQL operation.",
  labelNames: ["method", "route", "operation"],
  registers: [metricsRegistry]
});
var loginAttempts = new Counter({
  name: "authgraph_logins_total",
  help: "Sign-in attempts by method (password, google) and outcome (success, or the error code).",
  labelNames: ["method", "outcome"],
  registers: [metricsRegistry]
});
var failures = new Counter({
  name: "authgraph_failures_total",
  help: "Errors answered, by API (graphql, rest) and error code.",
  labelNames: ["api", "code"],
  registers: [metricsRegistry]
});
var rateLimitHits = new Counter({
  name: "authgraph_rate_limit_hits_total",
  help: "Requests refused with RATE_LIMITED, by limit.",
  labelNames: ["limit"],
  registers: [metricsRegistry]
});
var activeSessions = new Gauge({
  name: "authgraph_active_sessions",
  help: "Sessions neither revoked nor expired, in the whole database.",
  registers: [metricsRegistry]
});

// src/limits/limits.ts
function createLimits(settings, redis) {
  const limiter = (keyPrefix, points, duration) => redis ? new RateLimiterRedis({ storeClient: redis.client, keyPrefix: `${redis.keyPrefix}:${keyPrefix}`, points, duration }) : new RateLimiterMemory({ keyPrefix, points, duration });
  const hour = 3600;
  return {
    settings,
    loginFailuresByAccountAndIp: limiter("login-pair", Number.MAX_SAFE_INTEGER, settings.loginWindowSeconds),
    loginDelayByAccountAndIp: limiter("login-delay", 1, settings.loginWindowSeconds),
    loginFailuresByAccount: limiter("login-account", settings.loginFailuresPerAccountPerHour, settings.loginWindowSeconds),
    loginFailuresByIp: limiter("login-ip", settings.loginFailuresPerIpPerHour, settings.loginWindowSeconds),
    registrationsByIp: limiter("register-ip", settings.registrationsPerIpPerHour, hour),
    refreshesBySession: limiter("refresh-session", settings.refreshesPerSessionPerMinute, 60),
    apiKeyRequests: Object.fromEntries(
      Object.entries(settings.apiKeyRequestsPerMinute).map(([plan, points]) => [plan, limiter(`key-${plan}`, points, 60)])
    )
  };
}
function rateLimited(msBeforeNext, limit) {
  rateLimitHits.inc({ limit });
  return new AppError("RATE_LIMITED", { retryAfter: Math.max(1, Math.ceil(msBeforeNext / 1e3)) });
}
async function consumeOrThrow(limiter, key, points = 1) {
  try {
    await limiter.consume(key, points);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw rateLimited(rejection.msBeforeNext, limiter.keyPrefix.split(":").at(-1));
    throw rejection;
  }
}

// src/sessions/session-tokens.ts
var refreshTokenPrefix = "rt_";
var newRefreshToken = () => refreshTokenPrefix + randomToken(32);
var refreshTokenHash = sha256;
function successorOf(runtime6, parent) {
  return refreshTokenPrefix + hmacSha256(runtime6.serverSecret, `refresh:${parent}`);
}
function isRefreshToken(value) {
  return value.startsWith(refreshTokenPrefix) && value.length === refreshTokenPrefix.length + 43;
}
async function sessionTokens(runtime6, grant) {
  const accessToken = await issueAccessToken(runtime6.signingKeys, runtime6.accessTokens, {
    userId: grant.userId,
    sessionId: grant.sessionId,
    tokenId: hmacSha256(runtime6.serverSecret, `jti:${grant.refreshToken}`).slice(0, 22),
    issuedAt: grant.issuedAt
  });
  return {
    userId: grant.userId,
    sessionId: grant.sessionId,
    accessToken,
    expiresIn: runtime6.accessTokens.ttlSeconds,
    refreshToken: grant.refreshToken,
    refreshExpiresAt: grant.refreshExpiresAt
  };
}
function refreshExpiry(runtime6, session, now) {
  const { ttl, rememberTtl, sessionMaxAge } = runtime6.config.refresh;
  const sliding = now.getTime() + (session.rememberMe ? rememberTtl : ttl) * 1e3;
  return new Date(Math.min(sliding, session.createdAt.getTime() + sessionMaxAge * 1e3));
}

// src/context.ts
var jwtShape = /^[\w-]+\.[\w-]+\.[\w-]+$/;
function credentialsFrom(headers) {
  const presented = [];
  const authorization = headers.get("authorization");
  if (authorization !== null) {
    const match = /^Bearer +(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw new AppError("UNAUTHENTICATED", { message: 'The Authorization header must be "Bearer <token>".' });
    presented.push(match[1]);
  }
  const apiKey = headers.get("x-api-key");
  if (apiKey !== null) presented.push(apiKey.trim());
  return [...new Set(presented)];
}
async function resolveCredentials(runtime6, headers, client = { userAgent: headers.get("user-agent") ?? "" }) {
  const presented = credentialsFrom(headers);
  if (presented.length > 1) {
    throw new AppError("UNAUTHENTICATED", { message: "Send one credential per request, not two different ones." });
  }
  const [credential] = presented;
  if (!credential) return { principal: { kind: "anonymous" } };
  if (isRefreshToken(credential)) return { principal: { kind: "anonymous" }, bearerRefreshToken: credential };
  if (jwtShape.test(credential)) {
    const now = runtime6.clock();
    const nowMs = now.getTime();
    let claims = runtime6.verifiedAccessTokens.get(credential, nowMs);
    if (!claims) {
      claims = await verifyAccessToken(runtime6.signingKeys, runtime6.accessTokens, credential, now) ?? void 0;
      if (claims) runtime6.verifiedAccessTokens.set(credential, claims, claims.expiresAt.getTime());
    }
    if (!claims || runtime6.revokedSessions.has(claims.sessionId, nowMs)) throw new AppError("UNAUTHENTICATED");
    return { principal: { kind: "session", userId: claims.userId, sessionId: claims.sessionId, tokenId: claims.tokenId } };
  }
  if (looksLikeApiKey(runtime6.config.apiKeys.prefix, credential)) {
    const principal = await verifyApiKey(runtime6, credential, client);
    if (!principal) throw new AppError("UNAUTHENTICATED");
    const { apiKeyRequests } = runtime6.limits;
    await consumeOrThrow(apiKeyRequests[principal.plan] ?? apiKeyRequests.FREE, principal.keyId);
    return { principal };
  }
  throw new AppError("UNAUTHENTICATED");
}
function readBasicCredentials(headers) {
  const match = /^Basic +([A-Za-z0-9+/=]+)\s*$/i.exec(headers.get("authorization") ?? "");
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const separator = decoded.indexOf(":");
  if (separator < 1) return null;
  return { username: decoded.slice(0, separator), password: decoded.slice(separator + 1) };
}

// src/http/cookies.ts
var refreshCookieName = "authgraph_refresh";
function refreshCookie(runtime6, token, expiresAt, path3) {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - runtime6.clock().getTime()) / 1e3));
  const secure = runtime6.config.secureCookies ? "; Secure" : "";
  return `${refreshCookieName}=${token}; Path=${path3}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure}`;
}
function clearedRefreshCookie(runtime6, path3) {
  const secure = runtime6.config.secureCookies ? "; Secure" : "";
  return `${refreshCookieName}=; Path=${path3}; Max-Age=0; HttpOnly; SameSite=Strict${secure}`;
}
function readCookie(headers, name) {
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const separator = part.indexOf("=");
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return void 0;
}
function clientInfo(request, ip) {
  return { userAgent: request.headers.get("user-agent") ?? "", ip };
}

// src/schema/errors.ts
import { GraphQLError } from "graphql";
function maskError(logger) {
  return (error) => {
    let original = error;
    while (original instanceof GraphQLError && original.originalError) original = original.originalError;
    const location = error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {};
    if (original instanceof AppError) {
      return new GraphQLError(original.message, {
        ...location,
        extensions: {
          code: original.code,
          ...original.fields && { fields: original.fields },
          ...original.retryAfter !== void 0 && { retryAfter: original.retryAfter }
        }
      });
    }
    if (error instanceof GraphQLError && !error.path && error.message.startsWith('Variable "$')) {
      return invalidVariable(error);
    }
    if (error instanceof GraphQLError && (error.extensions.code || !error.originalError)) return error;
    const { name, code } = original;
    logger.error({ err: { type: name, code } }, "unexpected error");
    return new GraphQLError(errorCodes.INTERNAL.message, { ...location, extensions: { code: "INTERNAL" } });
  };
}
function invalidVariable(error) {
  const [, variable = "input", at] = /^Variable "\$(\w+)" got invalid value .*?(?: at "([^"]+)")?; /s.exec(error.message) ?? [];
  const reason = error.message.includes("; ") ? error.message.slice(error.message.lastIndexOf("; ") + 2) : "is invalid";
  const field = at ?? variable;
  return new GraphQLError(`Invalid input: ${field}: ${reason}`, {
    nodes: error.nodes,
    extensions: { code: "BAD_USER_INPUT", fields: [{ field, message: reason }] }
  });
}

// src/schema/index.ts
import { lexicographicSortSchema, printSchema } from "graphql";

// src/schema/builder.ts
import SchemaBuilder from "@pothos/core";
import PrismaPlugin from "@pothos/plugin-prisma";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import { DateTimeResolver, EmailAddressResolver } from "graphql-scalars";

// src/accounts/users.ts
var usernamePattern = /^[a-z0-9_.-]{3,32}$/;
var normalizeUsername = (username) => username.trim().toLowerCase();
var normalizeEmail = (email) => email.trim().toLowerCase();
function findUserByLogin(runtime6, login2) {
  const normalized = login2.trim().toLowerCase();
  return runtime6.db.user.findFirst({
    where: { [normalized.includes("@") ? "email" : "username"]: normalized, disabledAt: null }
  });
}
function findActiveUser(runtime6, userId) {
  return runtime6.db.user.findFirst({ where: { id: userId, disabledAt: null } });
}

// src/accounts/roles.ts
async function isAdmin(runtime6, principal) {
  if (principal.kind === "apiKey") return principal.environment === "LIVE" && principal.scopes.includes("admin");
  if (principal.kind !== "session") return false;
  const user = await runtime6.db.user.findUnique({ where: { id: principal.userId }, select: { role: true, disabledAt: true } });
  return user?.role === "ADMIN" && !user.disabledAt;
}
function holdsScope(principal, scope) {
  return principal.kind === "session" || principal.kind === "apiKey" && principal.scopes.includes(scope);
}

// src/generated/pothos-types.ts
function getDatamodel() {
  return JSON.parse('{"datamodel":{"models":{"User":{"fields":[{"type":"String","kind":"scalar","name":"id","isRequired":true,"isList":false,"hasDefaultValue":true,"isUnique":false,"isId":true,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"username","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":true,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"email","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":true,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"fullName","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"passwordHash","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"Boolean","kind":"scalar","name":"emailVerified","isRequired":true,"isList":false,"hasDefaultValue":true,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"role","isRequired":true,"isList":false,"hasDefaultValue":true,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"plan","isRequired":true,"isList":false,"hasDefaultValue":true,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"googleSubject","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":true,"isId":false,"isUpdatedAt":false},{"type":"DateTime","kind":"scalar","name":"disabledAt","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"DateTime","kind":"scalar","name":"createdAt","isRequired":true,"isList":false,"hasDefaultValue":true,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"DateTime","kind":"scalar","name":"updatedAt","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":true},{"type":"Session","kind":"object","name":"sessions","isRequired":true,"isList":true,"hasDefaultValue":false,"isUnique":false,"isId":false,"relationName":"SessionToUser","relationFromFields":[],"isUpdatedAt":false},{"type":"ApiKey","kind":"object","name":"apiKeys","isRequired":true,"isList":true,"hasDefaultValue":false,"isUnique":false,"isId":false,"relationName":"ApiKeyToUser","relationFromFields":[],"isUpdatedAt":false},{"type":"Challenge","kind":"object","name":"challenges","isRequired":true,"isList":true,"hasDefaultValue":false,"isUnique":false,"isId":false,"relationName":"ChallengeToUser","relationFromFields":[],"isUpdatedAt":false}],"primaryKey":null,"uniqueIndexes":[]},"Session":{"fields":[{"type":"String","kind":"scalar","name":"id","isRequired":true,"isList":false,"hasDefaultValue":true,"isUnique":false,"isId":true,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"userId","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"User","kind":"object","name":"user","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"relationName":"SessionToUser","relationFromFields":["userId"],"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"name","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"userAgent","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"clientType","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"Boolean","kind":"scalar","name":"rememberMe","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"DateTime","kind":"scalar","name":"createdAt","isRequired":true,"isList":false,"hasDefaultValue":true,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"DateTime","kind":"scalar","name":"lastUsedAt","isRequired":true,"isList":false,"hasDefaultValue":true,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"DateTime","kind":"scalar","name":"expiresAt","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"DateTime","kind":"scalar","name":"revokedAt","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"revokeReason","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"RefreshToken","kind":"object","name":"refreshTokens","isRequired":true,"isList":true,"hasDefaultValue":false,"isUnique":false,"isId":false,"relationName":"RefreshTokenToSession","relationFromFields":[],"isUpdatedAt":false}],"primaryKey":null,"uniqueIndexes":[]},"RefreshToken":{"fields":[{"type":"String","kind":"scalar","name":"tokenHash","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":true,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"sessionId","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"Session","kind":"object","name":"session","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"relationName":"RefreshTokenToSession","relationFromFields":["sessionId"],"isUpdatedAt":false},{"type":"Int","kind":"scalar","name":"generation","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"DateTime","kind":"scalar","name":"createdAt","isRequired":true,"isList":false,"hasDefaultValue":true,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"DateTime","kind":"scalar","name":"rotatedAt","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false}],"primaryKey":null,"uniqueIndexes":[]},"ServiceAccount":{"fields":[{"type":"String","kind":"scalar","name":"id","isRequired":true,"isList":false,"hasDefaultValue":true,"isUnique":false,"isId":true,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"name","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":true,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"description","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"role","isRequired":true,"isList":false,"hasDefaultValue":true,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"scopes","isRequired":true,"isList":false,"hasDefaultValue":true,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"plan","isRequired":true,"isList":false,"hasDefaultValue":true,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"createdById","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"DateTime","kind":"scalar","name":"createdAt","isRequired":true,"isList":false,"hasDefaultValue":true,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"DateTime","kind":"scalar","name":"disabledAt","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"ApiKey","kind":"object","name":"apiKeys","isRequired":true,"isList":true,"hasDefaultValue":false,"isUnique":false,"isId":false,"relationName":"ApiKeyToServiceAccount","relationFromFields":[],"isUpdatedAt":false}],"primaryKey":null,"uniqueIndexes":[]},"ApiKey":{"fields":[{"type":"String","kind":"scalar","name":"id","isRequired":true,"isList":false,"hasDefaultValue":true,"isUnique":false,"isId":true,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"name","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"prefix","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"environment","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"scopes","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"secretHash","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":true,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"previousSecretHash","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":true,"isId":false,"isUpdatedAt":false},{"type":"DateTime","kind":"scalar","name":"previousSecretExpiresAt","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"userId","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"User","kind":"object","name":"user","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"relationName":"ApiKeyToUser","relationFromFields":["userId"],"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"serviceAccountId","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"ServiceAccount","kind":"object","name":"serviceAccount","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"relationName":"ApiKeyToServiceAccount","relationFromFields":["serviceAccountId"],"isUpdatedAt":false},{"type":"DateTime","kind":"scalar","name":"createdAt","isRequired":true,"isList":false,"hasDefaultValue":true,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"DateTime","kind":"scalar","name":"lastUsedAt","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"DateTime","kind":"scalar","name":"expiresAt","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"DateTime","kind":"scalar","name":"revokedAt","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false}],"primaryKey":null,"uniqueIndexes":[]},"TokenEvent":{"fields":[{"type":"String","kind":"scalar","name":"id","isRequired":true,"isList":false,"hasDefaultValue":true,"isUnique":false,"isId":true,"isUpdatedAt":false},{"type":"DateTime","kind":"scalar","name":"at","isRequired":true,"isList":false,"hasDefaultValue":true,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"action","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"outcome","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"operation","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"ip","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"userAgent","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"userId","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"serviceAccountId","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"sessionId","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"apiKeyId","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false}],"primaryKey":null,"uniqueIndexes":[]},"Challenge":{"fields":[{"type":"String","kind":"scalar","name":"id","isRequired":true,"isList":false,"hasDefaultValue":true,"isUnique":false,"isId":true,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"userId","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"User","kind":"object","name":"user","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"relationName":"ChallengeToUser","relationFromFields":["userId"],"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"purpose","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"email","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"codeHash","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"uidHash","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":true,"isId":false,"isUpdatedAt":false},{"type":"Int","kind":"scalar","name":"attempts","isRequired":true,"isList":false,"hasDefaultValue":true,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"DateTime","kind":"scalar","name":"createdAt","isRequired":true,"isList":false,"hasDefaultValue":true,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"DateTime","kind":"scalar","name":"expiresAt","isRequired":true,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"DateTime","kind":"scalar","name":"verifiedAt","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"DateTime","kind":"scalar","name":"consumedAt","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":false,"isId":false,"isUpdatedAt":false},{"type":"String","kind":"scalar","name":"resetTokenHash","isRequired":false,"isList":false,"hasDefaultValue":false,"isUnique":true,"isId":false,"isUpdatedAt":false}],"primaryKey":null,"uniqueIndexes":[]}}}}');
}

// src/schema/builder.ts
var builder = new SchemaBuilder({
  plugins: [ScopeAuthPlugin, PrismaPlugin],
  defaultFieldNullability: false,
  prisma: {
    client: (context) => context.runtime.db,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    onUnusedQuery: null
  },
  scopeAuth: {
    authScopes: ({ runtime: runtime6, credentials: { principal } }) => ({
      signedIn: principal.kind !== "anonymous",
      session: principal.kind === "session",
      admin: () => isAdmin(runtime6, principal),
      scope: (scope) => holdsScope(principal, scope)
    }),
    unauthorizedError: (_parent, context) => context.credentials.principal.kind === "anonymous" ? new AppError("UNAUTHENTICATED") : new AppError("FORBIDDEN")
  }
});
builder.addScalarType("DateTime", DateTimeResolver);
builder.addScalarType("EmailAddress", EmailAddressResolver);
builder.queryType();
builder.mutationType();

// src/accounts/account.ts
async function getAccount(runtime6, userId) {
  const user = await findActiveUser(runtime6, userId);
  if (!user) throw new AppError("UNAUTHENTICATED");
  const hasPassword = user.passwordHash !== null;
  const googleLinked = user.googleSubject !== null;
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    fullName: user.fullName,
    emailVerified: user.emailVerified,
    hasPassword,
    googleLinked,
    canUnlinkGoogle: googleLinked && hasPassword,
    availableSignInMethods: [...hasPassword ? ["PASSWORD"] : [], ...googleLinked ? ["GOOGLE"] : []],
    role: user.role,
    plan: user.plan,
    createdAt: user.createdAt
  };
}

// src/accounts/whoami.ts
async function whoami(runtime6, principal) {
  if (principal.kind === "apiKey") {
    return {
      userId: principal.userId,
      serviceAccountId: principal.serviceAccountId,
      credential: { kind: "API_KEY", id: principal.keyId, name: principal.keyName, environment: principal.environment, scopes: principal.scopes }
    };
  }
  if (principal.kind !== "session") throw new AppError("UNAUTHENTICATED");
  const session = await sessionView(runtime6, principal.sessionId);
  if (!session || session.revokedAt || session.user.disabledAt || session.user.id !== principal.userId) {
    throw new AppError("UNAUTHENTICATED");
  }
  return {
    userId: principal.userId,
    user: session.user,
    serviceAccountId: null,
    credential: { kind: "SESSION", id: principal.sessionId, name: session.name, environment: null, scopes: null }
  };
}
var viewTtlMs = 5e3;
async function sessionView(runtime6, sessionId) {
  const nowMs = runtime6.clock().getTime();
  const cached = runtime6.sessionViews.get(sessionId, nowMs);
  if (cached) return cached;
  const session = await runtime6.db.session.findUnique({
    where: { id: sessionId },
    select: { name: true, revokedAt: true, user: true }
  });
  if (session) runtime6.sessionViews.set(sessionId, session, nowMs + viewTtlMs);
  return session;
}
async function keyOwnerView(runtime6, userId) {
  const nowMs = runtime6.clock().getTime();
  const cached = runtime6.userViews.get(userId, nowMs);
  if (cached) return cached;
  const user = await runtime6.db.user.findUnique({ where: { id: userId } });
  if (user) runtime6.userViews.set(userId, user, nowMs + viewTtlMs);
  return user;
}
function accountUserId(principal) {
  if (principal.kind === "anonymous") throw new AppError("UNAUTHENTICATED");
  if (!principal.userId) throw new AppError("FORBIDDEN", { message: "A service account has no user account." });
  return principal.userId;
}

// src/accounts/register.ts
import { z } from "zod";

// src/challenges/challenge.ts
import { randomUUID } from "node:crypto";

// src/crypto/one-time-code.ts
import { randomInt } from "node:crypto";
var oneTimeCodePattern = /^\d{6}$/;
function newOneTimeCode() {
  return randomInt(0, 1e6).toString().padStart(6, "0");
}
function oneTimeCodeHash(serverSecret, challengeId, code) {
  return hmacSha256(serverSecret, `one-time-code:${challengeId}:${code}`);
}

// src/mail/templates.ts
var escapeHtml = (text) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
var wording = {
  VERIFY_EMAIL: {
    kind: "verify-email",
    subject: (product) => `Verify your e-mail address for ${product}`,
    intro: (product) => `Confirm that this address belongs to your ${product} account.`,
    action: "Verify my address",
    ignore: "If you did not create an account, ignore this mail: nothing happens without the code."
  },
  RESET_PASSWORD: {
    kind: "reset-password",
    subject: (product) => `Reset your ${product} password`,
    intro: (product) => `Someone, hopefully you, asked to reset the password of your ${product} account.`,
    action: "Choose a new password",
    ignore: "If it was not you, ignore this mail: your password stays as it is."
  }
};
function challengeMail(config4, challenge) {
  const words = wording[challenge.purpose];
  const product = config4.mail.productName;
  const minutes = Math.max(1, Math.round(challenge.ttlSeconds / 60));
  const expiry = `The code and the link expire in ${minutes} minute${minutes === 1 ? "" : "s"} and work once.`;
  const text = [
    words.intro(product),
    "",
    `Your code: ${challenge.code}`,
    "",
    `Or open this link: ${challenge.link}`,
    "",
    expiry,
    words.ignore,
    "",
    `${product}, ${config4.publicUrl}`
  ].join("\n");
  const html = `<!doctype html>
<html><body style="font-family: sans-serif; line-height: 1.5">
<p>${escapeHtml(words.intro(product))}</p>
<p>Your code: <strong style="font-size: 1.4em; letter-spacing: 0.2em">${escapeHtml(challenge.code)}</strong></p>
<p><a href="${escapeHtml(challenge.link)}">${escapeHtml(words.action)}</a></p>
<p>${escapeHtml(expiry)}<br>${escapeHtml(words.ignore)}</p>
<p style="color: #666">${escapeHtml(product)}, ${escapeHtml(config4.publicUrl)}</p>
</body></html>
`;
  return { kind: words.kind, to: challenge.to, subject: words.subject(product), text, html };
}

// src/challenges/challenge.ts
var maxChallengeAttempts = 5;
var openChallenge = (now) => ({ verifiedAt: null, consumedAt: null, expiresAt: { gt: now } });
function newChallenge(runtime6, purpose, email) {
  const now = runtime6.clock();
  const id = randomUUID();
  const code = newOneTimeCode();
  const uid = randomToken(24);
  return {
    code,
    uid,
    record: {
      id,
      purpose,
      email,
      codeHash: oneTimeCodeHash(runtime6.serverSecret, id, code),
      uidHash: sha256(uid),
      createdAt: now,
      expiresAt: new Date(now.getTime() + runtime6.config.challenges.ttl * 1e3)
    }
  };
}
var challengeLink = (runtime6, uid) => `${runtime6.config.publicUrl}/challenge/${uid}`;
function mailChallenge(runtime6, { code, uid, record }) {
  runtime6.mailer.send(
    challengeMail(runtime6.config, {
      purpose: record.purpose,
      to: record.email,
      code,
      link: challengeLink(runtime6, uid),
      ttlSeconds: runtime6.config.challenges.ttl
    })
  );
}
async function issueChallenge(runtime6, user, purpose) {
  const now = runtime6.clock();
  const issued = await runtime6.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { updatedAt: now } });
    const latest = await tx.challenge.findFirst({
      where: { email: user.email, purpose },
      orderBy: { createdAt: "desc" },
      select: { createdAt: true }
    });
    if (latest && now.getTime() - latest.createdAt.getTime() < runtime6.config.challenges.resendInterval * 1e3) return null;
    const challenge = newChallenge(runtime6, purpose, user.email);
    await tx.challenge.updateMany({
      where: { userId: user.id, purpose, consumedAt: null, expiresAt: { gt: now } },
      data: { expiresAt: now }
    });
    await tx.challenge.create({ data: { ...challenge.record, userId: user.id } });
    return challenge;
  });
  if (issued) mailChallenge(runtime6, issued);
  else runtime6.logger.info({ purpose }, "challenge mail throttled");
}

// src/crypto/password.ts
import argon2 from "argon2";
var passwordHashOptions = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };
function hashPassword(password) {
  return argon2.hash(password, passwordHashOptions);
}
var dummyHash;
async function verifyPassword(storedHash, password) {
  dummyHash ??= hashPassword("authgraph-dummy-password");
  const hash = storedHash ?? await dummyHash;
  const matches = await argon2.verify(hash, password).catch(() => false);
  return matches && Boolean(storedHash);
}

// src/validation.ts
function parseOrThrow(schema2, input) {
  const parsed = schema2.safeParse(input);
  if (!parsed.success) {
    throw badInput(parsed.error.issues.map((issue) => ({ field: issue.path.join(".") || "input", message: issue.message })));
  }
  return parsed.data;
}
function containsNulCharacter(value) {
  if (typeof value === "string") return value.includes("\0");
  if (Array.isArray(value)) return value.some(containsNulCharacter);
  if (value && typeof value === "object") return Object.values(value).some(containsNulCharacter);
  return false;
}
var nulCharacterRefused = () => badInput([{ field: "input", message: "must not contain NUL characters" }]);

// src/accounts/password-policy.ts
import { dictionary } from "@zxcvbn-ts/language-common";
var passwordLength = { min: 8, max: 128 };
var commonPasswords = new Set(
  dictionary["passwords-common"].filter((password) => password.length >= passwordLength.min)
);
function passwordProblem(password, identity) {
  const length = [...password].length;
  if (length < passwordLength.min) return `must be at least ${passwordLength.min} characters`;
  if (length > passwordLength.max) return `must be at most ${passwordLength.max} characters`;
  const lowered = password.toLowerCase();
  if (lowered === identity.username?.toLowerCase() || lowered === identity.email?.toLowerCase()) {
    return "must not be your username or e-mail address";
  }
  if (commonPasswords.has(lowered)) return "is too common; choose another";
  return null;
}

// src/accounts/register.ts
var registerSchema = z.object({
  username: z.string().transform(normalizeUsername).pipe(z.string().regex(usernamePattern, "must be 3 to 32 of a-z, 0-9, _ . -")),
  email: z.string().transform(normalizeEmail).pipe(z.string().email("must be an e-mail address").max(254)),
  password: z.string().max(passwordLength.max * 4, `must be at most ${passwordLength.max} characters`),
  fullName: z.string().trim().max(200, "must be at most 200 characters").nullish()
});
async function registerUser(runtime6, input, client) {
  const { username, email, password, fullName } = parseOrThrow(registerSchema, input);
  const problem = passwordProblem(password, { username, email });
  if (problem) throw badInput([{ field: "password", message: problem }]);
  await consumeOrThrow(runtime6.limits.registrationsByIp, client.ip ?? "unknown");
  const taken = await runtime6.db.user.findFirst({ where: { OR: [{ username }, { email }] }, select: { username: true } });
  if (taken) {
    const field = taken.username === username ? "username" : "email";
    throw new AppError("CONFLICT", { message: `That ${field === "email" ? "e-mail address" : field} is already registered.`, fields: [{ field, message: "is already registered" }] });
  }
  const passwordHash = await hashPassword(password);
  const verification = newChallenge(runtime6, "VERIFY_EMAIL", email);
  try {
    const user = await runtime6.db.user.create({
      data: { username, email, fullName: fullName || null, passwordHash, challenges: { create: verification.record } }
    });
    mailChallenge(runtime6, verification);
    return user;
  } catch (error) {
    if (error.code === "P2002") {
      throw new AppError("CONFLICT", { message: "That username or e-mail address is already registered." });
    }
    throw error;
  }
}

// src/schema/users.ts
var User = builder.prismaObject("User", {
  fields: (t) => ({
    id: t.exposeID("id"),
    username: t.exposeString("username"),
    email: t.expose("email", { type: "EmailAddress" }),
    fullName: t.exposeString("fullName", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" })
  })
});
var SignInMethod = builder.enumType("SignInMethod", { values: ["PASSWORD", "GOOGLE"] });
var Account = builder.objectRef("Account").implement({
  fields: (t) => ({
    username: t.exposeString("username"),
    email: t.expose("email", { type: "EmailAddress" }),
    emailVerified: t.exposeBoolean("emailVerified"),
    hasPassword: t.exposeBoolean("hasPassword"),
    googleLinked: t.exposeBoolean("googleLinked"),
    canUnlinkGoogle: t.exposeBoolean("canUnlinkGoogle"),
    availableSignInMethods: t.expose("availableSignInMethods", { type: [SignInMethod] }),
    role: t.exposeString("role"),
    plan: t.exposeString("plan"),
    createdAt: t.expose("createdAt", { type: "DateTime" })
  })
});
var CredentialKind = builder.enumType("CredentialKind", { values: ["SESSION", "API_KEY"] });
var Credential = builder.objectRef("Credential").implement({
  fields: (t) => ({
    kind: t.expose("kind", { type: CredentialKind }),
    id: t.exposeID("id"),
    name: t.exposeString("name", { nullable: true })
  })
});
var Whoami = builder.objectRef("Whoami").implement({
  fields: (t) => ({
    user: t.prismaField({
      type: "User",
      nullable: true,
      resolve: (_query, whoami2, _args, { runtime: runtime6 }) => whoami2.user ?? (whoami2.userId ? keyOwnerView(runtime6, whoami2.userId) : null)
    }),
    credential: t.field({ type: Credential, resolve: (whoami2) => whoami2.credential })
  })
});
var RegisterInput = builder.inputType("RegisterInput", {
  fields: (t) => ({
    username: t.string({ required: true }),
    email: t.field({ type: "EmailAddress", required: true }),
    password: t.string({ required: true }),
    fullName: t.string()
  })
});
builder.queryFields((t) => ({
  whoami: t.field({
    type: Whoami,
    description: "Accepts a session, or an API key with the account:read scope.",
    authScopes: { scope: "account:read" },
    resolve: (_root, _args, { runtime: runtime6, credentials: { principal } }) => whoami(runtime6, principal)
  }),
  account: t.field({
    type: Account,
    description: "Accepts a session, or a user's API key with the account:read scope.",
    authScopes: { scope: "account:read" },
    resolve: (_root, _args, { runtime: runtime6, credentials: { principal } }) => getAccount(runtime6, accountUserId(principal))
  })
}));
builder.mutationFields((t) => ({
  register: t.prismaField({
    type: "User",
    args: { input: t.arg({ type: RegisterInput, required: true }) },
    resolve: async (query, _root, { input }, { runtime: runtime6, client }) => {
      const user = await registerUser(runtime6, input, client);
      return runtime6.db.user.findUniqueOrThrow({ ...query, where: { id: user.id } });
    }
  })
}));

// src/sessions/login.ts
import { z as z2 } from "zod";

// src/limits/login-throttle.ts
var accountKey = (login2) => login2.trim().toLowerCase();
var pairKey = (login2, ip) => `${accountKey(login2)}|${ip}`;
var maxDelaySeconds = 15 * 60;
async function reserveLoginAttempt(runtime6, login2, ip) {
  const { limits } = runtime6;
  const delay = await limits.loginDelayByAccountAndIp.get(pairKey(login2, ip));
  if (delay && delay.consumedPoints > 0) throw rateLimited(delay.msBeforeNext, "login-delay");
  await consumeOrThrow(limits.loginFailuresByAccount, accountKey(login2));
  try {
    await consumeOrThrow(limits.loginFailuresByIp, ip);
  } catch (error) {
    await limits.loginFailuresByAccount.reward(accountKey(login2));
    throw error;
  }
}
async function recordLoginFailure(runtime6, login2, ip) {
  const { limits } = runtime6;
  const key = pairKey(login2, ip);
  const pair = await limits.loginFailuresByAccountAndIp.penalty(key);
  const beyondFree = pair.consumedPoints - limits.settings.loginFreeFailures;
  if (beyondFree > 0) {
    await limits.loginDelayByAccountAndIp.block(key, Math.min(2 ** (beyondFree - 1), maxDelaySeconds));
  }
}
async function recordLoginSuccess(runtime6, login2, ip) {
  const { limits } = runtime6;
  const key = pairKey(login2, ip);
  await Promise.all([
    limits.loginFailuresByAccount.reward(accountKey(login2)),
    limits.loginFailuresByIp.reward(ip),
    limits.loginFailuresByAccountAndIp.delete(key),
    limits.loginDelayByAccountAndIp.delete(key)
  ]);
}

// src/sessions/user-agent.ts
import { UAParser } from "ua-parser-js";
function describeUserAgent(userAgent) {
  if (!userAgent) return "Unknown client";
  const { browser, os } = new UAParser(userAgent).getResult();
  if (!browser.name) return userAgent.slice(0, 80);
  const client = [browser.name, browser.major].filter(Boolean).join(" ");
  return os.name ? `${client} on ${os.name}` : client;
}
function familyOf(userAgent) {
  const { browser, os, device } = new UAParser(userAgent).getResult();
  return browser.name ? [browser.name, os.name, device.type].join("|") : userAgent;
}
function userAgentMatches(boundTo, presented, mode) {
  return mode === "exact" ? boundTo === presented : familyOf(boundTo) === familyOf(presented);
}

// src/sessions/login.ts
var invalidCredentialsMessage = "Invalid username or password.";
var loginSchema = z2.object({
  login: z2.string().min(1, "is required").max(254),
  password: z2.string().min(1, "is required").max(1024),
  clientType: z2.enum(["API", "BROWSER"]),
  rememberMe: z2.boolean(),
  sessionName: z2.string().trim().min(1).max(100, "must be at most 100 characters").optional()
});
async function login(runtime6, input, client) {
  const { login: name, password, clientType, rememberMe, sessionName } = parseOrThrow(loginSchema, input);
  const user = await authenticatePassword(runtime6, name, password, client);
  return startSession(runtime6, user.id, { clientType, rememberMe, name: sessionName }, client);
}
async function authenticatePassword(runtime6, name, password, client) {
  parseOrThrow(loginSchema.pick({ login: true, password: true }), { login: name, password });
  const address = client.ip ?? "unknown";
  await reserveLoginAttempt(runtime6, name, address);
  const user = await findUserByLogin(runtime6, name);
  const passwordMatches = await verifyPassword(user?.passwordHash, password);
  if (!user || !passwordMatches) {
    if (user) runtime6.tokenEvents.record({ action: "login", outcome: "UNAUTHENTICATED", client, userId: user.id });
    await recordLoginFailure(runtime6, name, address);
    loginAttempts.inc({ method: "password", outcome: "UNAUTHENTICATED" });
    throw new AppError("UNAUTHENTICATED", { message: invalidCredentialsMessage });
  }
  await recordLoginSuccess(runtime6, name, address);
  loginAttempts.inc({ method: "password", outcome: "success" });
  return user;
}
async function startSession(runtime6, userId, options, client) {
  const now = runtime6.clock();
  const refreshToken = newRefreshToken();
  const expiresAt = refreshExpiry(runtime6, { createdAt: now, rememberMe: options.rememberMe }, now);
  const session = await runtime6.db.session.create({
    data: {
      userId,
      name: options.name ?? describeUserAgent(client.userAgent),
      userAgent: client.userAgent,
      clientType: options.clientType,
      rememberMe: options.rememberMe,
      createdAt: now,
      lastUsedAt: now,
      expiresAt,
      refreshTokens: { create: { tokenHash: refreshTokenHash(refreshToken), generation: 0, createdAt: now } }
    },
    select: { id: true }
  });
  runtime6.tokenEvents.record({ action: "login", outcome: "success", client, userId, sessionId: session.id });
  return sessionTokens(runtime6, { userId, sessionId: session.id, refreshToken, issuedAt: now, refreshExpiresAt: expiresAt });
}

// src/sessions/revoke.ts
async function revokeSession(runtime6, sessionId, reason) {
  const now = runtime6.clock();
  const revoked = await runtime6.db.session.updateManyAndReturn({
    where: { id: sessionId, revokedAt: null },
    data: { revokedAt: now, revokeReason: reason },
    select: { userId: true }
  });
  runtime6.revocations.sessionRevoked(sessionId, now.getTime() + runtime6.accessTokens.ttlSeconds * 1e3);
  for (const { userId } of revoked) {
    const reuse = reason === "refresh-token-reuse";
    runtime6.tokenEvents.record({
      action: reuse ? "reuse-detected" : "revoke",
      outcome: reuse ? "UNAUTHENTICATED" : "success",
      operation: reason,
      userId,
      sessionId
    });
  }
  return revoked.length === 1;
}
async function revokeUserSessions(db, userId, reason, now, exceptSessionId) {
  await db.session.updateMany({
    where: { userId, revokedAt: null, ...exceptSessionId && { id: { not: exceptSessionId } } },
    data: { revokedAt: now, revokeReason: reason }
  });
  const revoked = await db.session.findMany({ where: { userId, revokedAt: now, revokeReason: reason }, select: { id: true } });
  return revoked.map((session) => session.id);
}
function refuseAccessTokens(runtime6, sessionIds, revokedAt) {
  for (const sessionId of sessionIds) {
    runtime6.revocations.sessionRevoked(sessionId, revokedAt.getTime() + runtime6.accessTokens.ttlSeconds * 1e3);
  }
}
async function loadRecentRevocations(runtime6) {
  const ttlMs = runtime6.accessTokens.ttlSeconds * 1e3;
  const since = new Date(runtime6.clock().getTime() - ttlMs);
  const sessions = await runtime6.db.session.findMany({
    where: { revokedAt: { gt: since } },
    select: { id: true, revokedAt: true }
  });
  for (const session of sessions) runtime6.revokedSessions.add(session.id, session.revokedAt.getTime() + ttlMs);
}

// src/sessions/refresh.ts
async function refreshSession(runtime6, refreshToken, client) {
  const now = runtime6.clock();
  const presented = await runtime6.db.refreshToken.findUnique({
    where: { tokenHash: refreshTokenHash(refreshToken) },
    include: { session: { include: { user: { select: { disabledAt: true } } } } }
  });
  const session = presented?.session;
  if (!presented || !session || session.revokedAt || session.expiresAt <= now || session.user.disabledAt) {
    if (session) {
      runtime6.tokenEvents.record({ action: "refresh", outcome: "UNAUTHENTICATED", client, userId: session.userId, sessionId: session.id });
    }
    throw new AppError("UNAUTHENTICATED");
  }
  await consumeOrThrow(runtime6.limits.refreshesBySession, session.id);
  const refreshed = (operation) => runtime6.tokenEvents.record({ action: "refresh", outcome: "success", operation, client, userId: session.userId, sessionId: session.id });
  if (!userAgentMatches(session.userAgent, client.userAgent, runtime6.config.refresh.userAgentBinding)) {
    await revokeSession(runtime6, session.id, "user-agent-mismatch");
    runtime6.logger.warn({ event: "session-mismatch", sessionId: session.id }, "refresh from another User-Agent");
    throw new AppError("SESSION_MISMATCH");
  }
  const successor = successorOf(runtime6, refreshToken);
  const successorHash = refreshTokenHash(successor);
  const refreshExpiresAt = refreshExpiry(runtime6, session, now);
  const grant = { userId: session.userId, sessionId: session.id, refreshToken: successor };
  if (!presented.rotatedAt) {
    const rotated = await runtime6.db.$transaction(async (tx) => {
      const claim = await tx.refreshToken.updateMany({
        where: { tokenHash: presented.tokenHash, rotatedAt: null },
        data: { rotatedAt: now }
      });
      if (claim.count !== 1) return false;
      await tx.refreshToken.create({
        data: { tokenHash: successorHash, sessionId: session.id, generation: presented.generation + 1, createdAt: now }
      });
      await tx.session.update({ where: { id: session.id }, data: { lastUsedAt: now, expiresAt: refreshExpiresAt } });
      return true;
    });
    if (rotated) {
      refreshed(null);
      return sessionTokens(runtime6, { ...grant, issuedAt: now, refreshExpiresAt });
    }
  }
  const [parent, child] = await Promise.all([
    runtime6.db.refreshToken.findUnique({ where: { tokenHash: presented.tokenHash } }),
    runtime6.db.refreshToken.findUnique({ where: { tokenHash: successorHash }, include: { session: true } })
  ]);
  const graceMs = runtime6.config.refresh.reuseGrace * 1e3;
  const withinGrace = graceMs > 0 && parent?.rotatedAt && now.getTime() - parent.rotatedAt.getTime() <= graceMs && child && !child.rotatedAt;
  if (withinGrace && !child.session.revokedAt) {
    refreshed("reuse-grace");
    return sessionTokens(runtime6, { ...grant, issuedAt: child.createdAt, refreshExpiresAt: child.session.expiresAt });
  }
  await revokeSession(runtime6, session.id, "refresh-token-reuse");
  runtime6.logger.warn({ event: "refresh-token-reuse", sessionId: session.id }, "rotated refresh token presented again; session revoked");
  throw new AppError("UNAUTHENTICATED");
}

// src/schema/sessions.ts
var ClientType = builder.enumType("ClientType", { values: ["API", "BROWSER"] });
var AuthPayload = builder.objectRef("AuthPayload").implement({
  fields: (t) => ({
    accessToken: t.string({ resolve: ({ tokens }) => tokens.accessToken }),
    tokenType: t.string({ description: 'Always "bearer".', resolve: () => "bearer" }),
    expiresIn: t.int({ description: "Seconds until the access token expires.", resolve: ({ tokens }) => tokens.expiresIn }),
    refreshToken: t.string({
      nullable: true,
      description: "Null for BROWSER clients: the refresh token travels as an HttpOnly cookie instead.",
      resolve: ({ tokens, refreshInBody }) => refreshInBody ? tokens.refreshToken : null
    }),
    refreshExpiresAt: t.field({ type: "DateTime", resolve: ({ tokens }) => tokens.refreshExpiresAt }),
    user: t.prismaField({
      type: "User",
      resolve: (query, { tokens }, _args, { runtime: runtime6 }) => runtime6.db.user.findUniqueOrThrow({ ...query, where: { id: tokens.userId } })
    })
  })
});
var LoginInput = builder.inputType("LoginInput", {
  fields: (t) => ({
    username: t.string({ required: true, description: "A username or an e-mail address." }),
    password: t.string({ required: true }),
    clientType: t.field({ type: ClientType, defaultValue: "API" }),
    rememberMe: t.boolean({ defaultValue: false })
  })
});
var cookiePath = (context) => new URL(context.request.url).pathname;
function payload(context, tokens, viaCookie) {
  if (viaCookie) {
    context.responseCookies.push(refreshCookie(context.runtime, tokens.refreshToken, tokens.refreshExpiresAt, cookiePath(context)));
  }
  return { tokens, refreshInBody: !viaCookie };
}
builder.mutationFields((t) => ({
  login: t.field({
    type: AuthPayload,
    args: { input: t.arg({ type: LoginInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const tokens = await login(
        context.runtime,
        {
          login: input.username,
          password: input.password,
          clientType: input.clientType ?? "API",
          rememberMe: input.rememberMe ?? false
        },
        context.client
      );
      return payload(context, tokens, input.clientType === "BROWSER");
    }
  }),
  refresh: t.field({
    type: AuthPayload,
    description: "Rotates the refresh token given here, as `Authorization: Bearer <refresh token>`, or in the cookie.",
    args: { refreshToken: t.arg.string() },
    resolve: async (_root, args, context) => {
      const cookieToken = readCookie(context.request.headers, refreshCookieName);
      const refreshToken = args.refreshToken ?? context.credentials.bearerRefreshToken ?? cookieToken;
      if (!refreshToken) throw new AppError("UNAUTHENTICATED", { message: "No refresh token was presented." });
      const tokens = await refreshSession(context.runtime, refreshToken, context.client);
      return payload(context, tokens, refreshToken === cookieToken);
    }
  }),
  logout: t.boolean({
    description: "Ends the current session: its refresh token and access tokens stop working.",
    authScopes: { session: true },
    resolve: async (_root, _args, context) => {
      const { principal } = context.credentials;
      if (principal.kind !== "session") throw new AppError("FORBIDDEN");
      await revokeSession(context.runtime, principal.sessionId, "logout");
      if (readCookie(context.request.headers, refreshCookieName)) {
        context.responseCookies.push(clearedRefreshCookie(context.runtime, cookiePath(context)));
      }
      return true;
    }
  })
}));

// src/accounts/change-password.ts
import { z as z3 } from "zod";
var changeSchema = z3.object({
  currentPassword: z3.string().max(1024),
  newPassword: z3.string().max(passwordLength.max * 4, `must be at most ${passwordLength.max} characters`)
});
async function changePassword(runtime6, caller, input) {
  const { currentPassword, newPassword } = parseOrThrow(changeSchema, input);
  const user = await findActiveUser(runtime6, caller.userId);
  if (!user) throw new AppError("UNAUTHENTICATED");
  const problem = passwordProblem(newPassword, user);
  if (problem) throw badInput([{ field: "newPassword", message: problem }]);
  if (!await verifyPassword(user.passwordHash, currentPassword)) {
    throw badInput([{ field: "currentPassword", message: "is not the current password" }]);
  }
  const passwordHash = await hashPassword(newPassword);
  const now = runtime6.clock();
  const revoked = await runtime6.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await tx.challenge.updateMany({
      where: { userId: user.id, purpose: "RESET_PASSWORD", consumedAt: null },
      data: { consumedAt: now }
    });
    return revokeUserSessions(tx, user.id, "password-change", now, caller.sessionId);
  });
  refuseAccessTokens(runtime6, revoked, now);
  runtime6.logger.info({ userId: user.id, sessionsRevoked: revoked.length }, "password changed");
}

// src/challenges/answer.ts
import { z as z4 } from "zod";
var emailSchema = z4.string().transform(normalizeEmail).pipe(z4.string().email("must be an e-mail address").max(254));
var codeInputSchema = z4.object({
  email: emailSchema,
  code: z4.string().max(32).transform((code) => code.replace(/\s/g, "")).pipe(z4.string().regex(oneTimeCodePattern, "must be six digits"))
});
var uidInputSchema = z4.object({ uid: z4.string().trim().min(1, "is required").max(128) });
var codeRefused = () => badInput([{ field: "code", message: "is wrong, expired or used up; request a new one" }]);
async function answerByCode(runtime6, input, purpose) {
  const { email, code } = parseOrThrow(codeInputSchema, input);
  const now = runtime6.clock();
  const challenge = await runtime6.db.challenge.findFirst({
    where: { email, purpose, ...openChallenge(now), user: { disabledAt: null } },
    orderBy: { createdAt: "desc" }
  });
  if (!challenge) throw codeRefused();
  const counted = await runtime6.db.challenge.updateMany({
    where: { id: challenge.id, attempts: { lt: maxChallengeAttempts }, ...openChallenge(now) },
    data: { attempts: { increment: 1 } }
  });
  if (counted.count === 0 || !constantTimeEqual(oneTimeCodeHash(runtime6.serverSecret, challenge.id, code), challenge.codeHash)) {
    throw codeRefused();
  }
  const result = await settle(runtime6, challenge, now, {});
  if (!result) throw codeRefused();
  return result;
}
async function answerByUid(runtime6, input) {
  const { uid } = parseOrThrow(uidInputSchema, input);
  const now = runtime6.clock();
  const challenge = await runtime6.db.challenge.findFirst({ where: { uidHash: sha256(uid), user: { disabledAt: null } } });
  const result = challenge && await settle(runtime6, challenge, now, { attempts: { lt: maxChallengeAttempts } });
  if (!result) throw badInput([{ field: "uid", message: "is unknown, expired or already used" }]);
  return result;
}
async function settle(runtime6, challenge, now, condition) {
  const reset = challenge.purpose === "RESET_PASSWORD" ? { token: randomToken(32), expiresAt: new Date(now.getTime() + runtime6.config.challenges.ttl * 1e3) } : null;
  return runtime6.db.$transaction(async (tx) => {
    const claimed = await tx.challenge.updateMany({
      where: { id: challenge.id, ...openChallenge(now), ...condition },
      data: reset ? { verifiedAt: now, resetTokenHash: sha256(reset.token), expiresAt: reset.expiresAt } : { verifiedAt: now, consumedAt: now }
    });
    if (claimed.count === 0) return null;
    const verified = await tx.user.updateMany({
      where: { id: challenge.userId, email: challenge.email },
      data: { emailVerified: true }
    });
    return {
      purpose: challenge.purpose,
      emailVerified: verified.count === 1,
      resetToken: reset?.token ?? null,
      resetTokenExpiresAt: reset?.expiresAt ?? null
    };
  });
}

// src/challenges/email-verification.ts
async function verifyEmail(runtime6, input) {
  await answerByCode(runtime6, input, "VERIFY_EMAIL");
}
function resendVerification(runtime6, email) {
  const address = parseOrThrow(emailSchema, email);
  runtime6.background.run("resend-verification", async () => {
    const user = await runtime6.db.user.findFirst({
      where: { email: address, emailVerified: false, disabledAt: null },
      select: { id: true, email: true }
    });
    if (user) await issueChallenge(runtime6, user, "VERIFY_EMAIL");
  });
}
async function assertEmailVerified(runtime6, userId) {
  if (!runtime6.config.requireVerifiedEmail) return;
  const user = await runtime6.db.user.findUnique({ where: { id: userId }, select: { emailVerified: true } });
  if (!user?.emailVerified) {
    throw new AppError("FORBIDDEN", { message: "Verify your e-mail address first (resendVerification sends a new code)." });
  }
}

// src/challenges/password-recovery.ts
import { z as z5 } from "zod";
function forgotPassword(runtime6, email) {
  const address = parseOrThrow(emailSchema, email);
  runtime6.background.run("forgot-password", async () => {
    const user = await runtime6.db.user.findFirst({ where: { email: address, disabledAt: null }, select: { id: true, email: true } });
    if (user) await issueChallenge(runtime6, user, "RESET_PASSWORD");
  });
}
function verifyRecoveryCode(runtime6, input) {
  return answerByCode(runtime6, input, "RESET_PASSWORD");
}
var resetSchema = z5.object({
  token: z5.string().trim().min(1, "is required").max(128),
  newPassword: z5.string().max(passwordLength.max * 4, `must be at most ${passwordLength.max} characters`)
});
var tokenRefused = () => badInput([{ field: "token", message: "is invalid, expired or already used" }]);
async function resetPassword(runtime6, input) {
  const { token, newPassword } = parseOrThrow(resetSchema, input);
  const now = runtime6.clock();
  const challenge = await runtime6.db.challenge.findFirst({
    where: { resetTokenHash: sha256(token), purpose: "RESET_PASSWORD", consumedAt: null, expiresAt: { gt: now }, user: { disabledAt: null } },
    select: { id: true, userId: true, user: { select: { username: true, email: true } } }
  });
  if (!challenge) throw tokenRefused();
  const problem = passwordProblem(newPassword, challenge.user);
  if (problem) throw badInput([{ field: "newPassword", message: problem }]);
  const passwordHash = await hashPassword(newPassword);
  const revoked = await runtime6.db.$transaction(async (tx) => {
    const claimed = await tx.challenge.updateMany({
      where: { id: challenge.id, consumedAt: null, expiresAt: { gt: now } },
      data: { consumedAt: now }
    });
    if (claimed.count === 0) throw tokenRefused();
    await tx.user.update({ where: { id: challenge.userId }, data: { passwordHash } });
    return revokeUserSessions(tx, challenge.userId, "password-reset", now);
  });
  refuseAccessTokens(runtime6, revoked, now);
  runtime6.logger.info({ userId: challenge.userId, sessionsRevoked: revoked.length }, "password reset");
}

// src/schema/challenges.ts
var ChallengePurpose = builder.enumType("ChallengePurpose", { values: ["VERIFY_EMAIL", "RESET_PASSWORD"] });
var ChallengeResult = builder.objectRef("ChallengeResult").implement({
  description: "What answering an e-mail challenge proved, and for a recovery challenge the token that resetPassword takes.",
  fields: (t) => ({
    purpose: t.expose("purpose", { type: ChallengePurpose }),
    emailVerified: t.exposeBoolean("emailVerified"),
    resetToken: t.exposeString("resetToken", {
      nullable: true,
      description: "RESET_PASSWORD only: single use, for resetPassword, until resetTokenExpiresAt."
    }),
    resetTokenExpiresAt: t.expose("resetTokenExpiresAt", { type: "DateTime", nullable: true })
  })
});
builder.mutationFields((t) => ({
  verifyEmail: t.boolean({
    description: "Proves the address with the six-digit code from the verification mail.",
    args: { email: t.arg({ type: "EmailAddress", required: true }), code: t.arg.string({ required: true }) },
    resolve: async (_root, args, { runtime: runtime6 }) => {
      await verifyEmail(runtime6, args);
      return true;
    }
  }),
  resendVerification: t.boolean({
    description: "Mails a new verification code to an unverified account. Always true: says nothing about whether the address exists.",
    args: { email: t.arg({ type: "EmailAddress", required: true }) },
    resolve: (_root, { email }, { runtime: runtime6 }) => {
      resendVerification(runtime6, email);
      return true;
    }
  }),
  answerChallenge: t.field({
    type: ChallengeResult,
    description: "Answers an e-mail challenge by the uid from its link: knowing the uid is the proof.",
    args: { uid: t.arg.string({ required: true }) },
    resolve: (_root, args, { runtime: runtime6 }) => answerByUid(runtime6, args)
  }),
  verifyRecoveryCode: t.field({
    type: ChallengeResult,
    description: "Answers a recovery challenge by the six-digit code from its mail, for a reset token.",
    args: { email: t.arg({ type: "EmailAddress", required: true }), code: t.arg.string({ required: true }) },
    resolve: (_root, args, { runtime: runtime6 }) => verifyRecoveryCode(runtime6, args)
  }),
  forgotPassword: t.boolean({
    description: "Mails a recovery code and link. Always true, in the same time: says nothing about whether the address exists.",
    args: { email: t.arg({ type: "EmailAddress", required: true }) },
    resolve: (_root, { email }, { runtime: runtime6 }) => {
      forgotPassword(runtime6, email);
      return true;
    }
  }),
  resetPassword: t.boolean({
    description: "Sets a new password with a reset token and ends every session of the account; API keys stay.",
    args: { token: t.arg.string({ required: true }), newPassword: t.arg.string({ required: true }) },
    resolve: async (_root, args, { runtime: runtime6 }) => {
      await resetPassword(runtime6, args);
      return true;
    }
  }),
  changePassword: t.boolean({
    description: "Sets a new password for the signed-in account and ends every other session.",
    authScopes: { session: true },
    args: { currentPassword: t.arg.string({ required: true }), newPassword: t.arg.string({ required: true }) },
    resolve: async (_root, args, { runtime: runtime6, credentials: { principal } }) => {
      if (principal.kind !== "session") throw new AppError("FORBIDDEN");
      await changePassword(runtime6, principal, args);
      return true;
    }
  })
}));

// src/oidc/google-account.ts
import { randomInt as randomInt2 } from "node:crypto";
var googleMessages = {
  notConfigured: "Google sign-in is not configured on this server.",
  linkWithPasswordFirst: "An account with this e-mail address exists but has not verified it. Sign in with its password, then link Google to it with linkGoogle.",
  emailLinkedElsewhere: "The account with this e-mail address is linked to another Google account.",
  subjectLinkedElsewhere: "This Google account is linked to another account.",
  accountLinkedElsewhere: "This account is linked to another Google account; unlink it first.",
  notLinked: "Google is not linked to this account.",
  setPasswordFirst: "Set a password before unlinking Google, or the account could not be signed in to: request a code with forgotPassword, set a password with resetPassword, then unlink.",
  disabled: "This account is disabled."
};
var isUniqueViolation = (error) => error.code === "P2002";
async function verifiedIdentity(runtime6, credential) {
  if (!runtime6.oidc) throw new AppError("NOT_CONFIGURED", { message: googleMessages.notConfigured });
  const identity = await runtime6.oidc.verifyIdToken(credential, runtime6.clock());
  return { ...identity, email: normalizeEmail(identity.email) };
}
function usernameFromEmail(email) {
  const local = (email.split("@")[0] ?? "").split("+")[0] ?? "";
  const cleaned = local.normalize("NFKD").toLowerCase().replace(/[^a-z0-9_.-]/g, "");
  return (cleaned.length >= 3 ? cleaned : `user${cleaned}`).slice(0, 32);
}
var suffixAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
var randomSuffix = () => Array.from({ length: 4 }, () => suffixAlphabet[randomInt2(suffixAlphabet.length)]).join("");
async function availableUsername(runtime6, email) {
  const base = usernameFromEmail(email);
  const taken = await runtime6.db.user.findUnique({ where: { username: base }, select: { id: true } });
  return taken ? `${base.slice(0, 27)}-${randomSuffix()}` : base;
}
function refuseDisabled(user) {
  if (user.disabledAt) throw new AppError("FORBIDDEN", { message: googleMessages.disabled });
}
async function attachSubject(runtime6, userId, subject) {
  const { count } = await runtime6.db.user.updateMany({ where: { id: userId, googleSubject: null }, data: { googleSubject: subject } });
  if (count === 1) return;
  const current = await runtime6.db.user.findUnique({ where: { id: userId }, select: { googleSubject: true } });
  if (current?.googleSubject !== subject) throw new AppError("CONFLICT", { message: googleMessages.accountLinkedElsewhere });
}
async function accountFor(runtime6, identity) {
  const linked = await runtime6.db.user.findUnique({ where: { googleSubject: identity.subject } });
  if (linked) {
    refuseDisabled(linked);
    return linked.id;
  }
  const sameEmail = await runtime6.db.user.findUnique({ where: { email: identity.email } });
  if (!sameEmail) {
    const created = await runtime6.db.user.create({
      data: {
        username: await availableUsername(runtime6, identity.email),
        email: identity.email,
        fullName: identity.name?.trim().slice(0, 200) || null,
        emailVerified: true,
        googleSubject: identity.subject
      },
      select: { id: true }
    });
    runtime6.logger.info({ userId: created.id }, "account created with Google");
    return created.id;
  }
  refuseDisabled(sameEmail);
  if (sameEmail.googleSubject === identity.subject) return sameEmail.id;
  if (sameEmail.googleSubject !== null) throw new AppError("CONFLICT", { message: googleMessages.emailLinkedElsewhere });
  if (!sameEmail.emailVerified) throw new AppError("CONFLICT", { message: googleMessages.linkWithPasswordFirst });
  await attachSubject(runtime6, sameEmail.id, identity.subject);
  runtime6.logger.info({ userId: sameEmail.id }, "Google linked by verified e-mail");
  return sameEmail.id;
}
async function accountForWithRetry(runtime6, identity) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await accountFor(runtime6, identity);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (attempt === 3) throw new AppError("CONFLICT", { message: "The account changed while signing in; try again." });
    }
  }
}
async function signInWithGoogle(runtime6, credential, options, client) {
  const identity = await verifiedIdentity(runtime6, credential).catch((error) => {
    loginAttempts.inc({ method: "google", outcome: error instanceof AppError ? error.code : "INTERNAL" });
    throw error;
  });
  const userId = await accountForWithRetry(runtime6, identity);
  loginAttempts.inc({ method: "google", outcome: "success" });
  return startSession(runtime6, userId, options, client);
}
async function linkGoogle(runtime6, userId, credential) {
  const identity = await verifiedIdentity(runtime6, credential);
  const user = await findActiveUser(runtime6, userId);
  if (!user) throw new AppError("UNAUTHENTICATED");
  if (user.googleSubject !== identity.subject) {
    if (user.googleSubject !== null) throw new AppError("CONFLICT", { message: googleMessages.accountLinkedElsewhere });
    const owner = await runtime6.db.user.findUnique({ where: { googleSubject: identity.subject }, select: { id: true } });
    if (owner) throw new AppError("CONFLICT", { message: googleMessages.subjectLinkedElsewhere });
    try {
      await attachSubject(runtime6, userId, identity.subject);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("CONFLICT", { message: googleMessages.subjectLinkedElsewhere });
      throw error;
    }
    runtime6.logger.info({ userId }, "Google linked by a signed-in user");
  }
  return getAccount(runtime6, userId);
}
async function unlinkGoogle(runtime6, userId) {
  const { count } = await runtime6.db.user.updateMany({
    where: { id: userId, disabledAt: null, googleSubject: { not: null }, passwordHash: { not: null } },
    data: { googleSubject: null }
  });
  if (count === 0) {
    const user = await findActiveUser(runtime6, userId);
    if (!user) throw new AppError("UNAUTHENTICATED");
    if (user.googleSubject === null) throw new AppError("NOT_FOUND", { message: googleMessages.notLinked });
    throw new AppError("FORBIDDEN", { message: googleMessages.setPasswordFirst });
  }
  runtime6.logger.info({ userId }, "Google unlinked");
  return getAccount(runtime6, userId);
}

// src/schema/oidc.ts
function signedInUserId({ credentials: { principal } }) {
  if (principal.kind !== "session") throw new AppError("FORBIDDEN");
  return principal.userId;
}
builder.mutationFields((t) => ({
  googleSignIn: t.field({
    type: AuthPayload,
    description: "Signs in with a Google ID token (`credential` from Google Identity Services), creating the account on first use. An existing account with the same e-mail is joined only when it has verified that address.",
    args: {
      credential: t.arg.string({ required: true }),
      clientType: t.arg({ type: ClientType, defaultValue: "API" }),
      rememberMe: t.arg.boolean({ defaultValue: false })
    },
    resolve: async (_root, args, context) => {
      const clientType = args.clientType ?? "API";
      const tokens = await signInWithGoogle(
        context.runtime,
        args.credential,
        { clientType, rememberMe: args.rememberMe ?? false },
        context.client
      );
      return payload(context, tokens, clientType === "BROWSER");
    }
  }),
  linkGoogle: t.field({
    type: Account,
    description: "Links the Google account of a Google ID token to the signed-in account, whatever its e-mail address.",
    authScopes: { session: true },
    args: { credential: t.arg.string({ required: true }) },
    resolve: (_root, { credential }, context) => linkGoogle(context.runtime, signedInUserId(context), credential)
  }),
  unlinkGoogle: t.field({
    type: Account,
    description: "Removes Google sign-in; only when the account has a password to sign in with.",
    authScopes: { session: true },
    resolve: (_root, _args, context) => unlinkGoogle(context.runtime, signedInUserId(context))
  })
}));

// src/apikeys/create.ts
import { z as z6 } from "zod";

// src/apikeys/limits.ts
var activeKeyFilter = (now) => ({ revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] });
async function assertBelowKeyLimit(runtime6, tx, userId, now) {
  await tx.user.update({ where: { id: userId }, data: { updatedAt: now } });
  const active = await tx.apiKey.count({ where: { userId, ...activeKeyFilter(now) } });
  const limit = runtime6.config.apiKeys.maxPerUser;
  if (active >= limit) {
    throw new AppError("FORBIDDEN", { message: `You already have ${limit} active API keys, the most allowed; revoke one first.` });
  }
}

// src/apikeys/create.ts
var createSchema = z6.object({
  name: z6.string().trim().min(1, "is required").max(100, "must be at most 100 characters"),
  scopes: z6.array(z6.enum(apiKeyScopes, { error: `must be one of ${apiKeyScopes.join(", ")}` })).nullish(),
  expiresAt: z6.date().nullish(),
  environment: z6.enum(keyEnvironments).nullish()
});
async function createApiKey(runtime6, owner, input, actor) {
  const { name, scopes, expiresAt, environment } = parseOrThrow(createSchema, input);
  if ("userId" in owner) await assertEmailVerified(runtime6, owner.userId);
  const now = runtime6.clock();
  if (expiresAt && expiresAt <= now) throw badInput([{ field: "expiresAt", message: "must be in the future" }]);
  const secret = newKeySecret(runtime6.config.apiKeys.prefix, environment ?? "LIVE", runtime6.serverSecret);
  const data = {
    name,
    prefix: secret.displayPrefix,
    environment: environment ?? "LIVE",
    scopes: scopes ? storeScopes(scopes) : null,
    secretHash: secret.secretHash,
    expiresAt: expiresAt ?? null,
    createdAt: now
  };
  const apiKey = await runtime6.db.$transaction(async (tx) => {
    if ("userId" in owner) {
      const active = await tx.user.findFirst({ where: { id: owner.userId, disabledAt: null }, select: { id: true } });
      if (!active) throw new AppError("UNAUTHENTICATED");
      await assertBelowKeyLimit(runtime6, tx, owner.userId, now);
      return tx.apiKey.create({ data: { ...data, userId: owner.userId } });
    }
    const serviceAccount = await tx.serviceAccount.findFirst({ where: { id: owner.serviceAccountId, disabledAt: null } });
    if (!serviceAccount) throw new AppError("NOT_FOUND", { message: "No such service account." });
    return tx.apiKey.create({ data: { ...data, serviceAccountId: serviceAccount.id } });
  });
  runtime6.tokenEvents.record({
    action: "create",
    outcome: "success",
    client: actor.client,
    userId: actor.userId,
    serviceAccountId: apiKey.serviceAccountId,
    apiKeyId: apiKey.id
  });
  return { apiKey, rawKey: secret.rawKey };
}

// src/pagination.ts
import { z as z7 } from "zod";
var defaultPageSize = 20;
var maxPageSize = 100;
var positionSchema = z7.tuple([z7.iso.datetime(), z7.string().min(1)]);
var encodeCursor = ({ at, id }) => Buffer.from(JSON.stringify([at.toISOString(), id])).toString("base64url");
function decodeCursor(cursor) {
  try {
    const [at, id] = positionSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return { at: new Date(at), id };
  } catch {
    throw badInput([{ field: "after", message: "is not a cursor from this listing" }]);
  }
}
function pageSize(first) {
  if (first === null || first === void 0) return defaultPageSize;
  if (!Number.isInteger(first) || first < 1 || first > maxPageSize) {
    throw badInput([{ field: "first", message: `must be between 1 and ${maxPageSize}` }]);
  }
  return first;
}
async function keysetPage(args, fetch2, positionOf) {
  const size = pageSize(args.first);
  const before = args.after ? decodeCursor(args.after) : void 0;
  const rows = await fetch2(before, size + 1);
  const nodes = rows.slice(0, size);
  return { nodes, cursors: nodes.map((row) => encodeCursor(positionOf(row))), hasNextPage: rows.length > size };
}
function olderThan(field, before) {
  if (!before) return {};
  return {
    [field]: { lte: before.at },
    OR: [{ [field]: { lt: before.at } }, { [field]: before.at, id: { lt: before.id } }]
  };
}

// src/apikeys/manage.ts
var maxRollGraceSeconds = 30 * 24 * 3600;
function listApiKeys(runtime6, userId, page2) {
  return keysetPage(
    page2,
    (before, take) => runtime6.db.apiKey.findMany({
      where: { userId, ...olderThan("createdAt", before) },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take
    }),
    (key) => ({ at: key.createdAt, id: key.id })
  );
}
async function findManagedApiKey(runtime6, principal, keyId) {
  const key = await runtime6.db.apiKey.findUnique({ where: { id: keyId } });
  if (!key) return null;
  if (key.userId === principal.userId) return key;
  if (key.serviceAccountId && await isAdmin(runtime6, principal)) return key;
  return null;
}
async function managedKeyOrThrow(runtime6, principal, keyId) {
  const key = await findManagedApiKey(runtime6, principal, keyId);
  if (!key) throw new AppError("NOT_FOUND", { message: "No such API key." });
  return key;
}
async function revokeApiKey(runtime6, principal, keyId, client) {
  const key = await managedKeyOrThrow(runtime6, principal, keyId);
  if (key.revokedAt) return key;
  const now = runtime6.clock();
  await runtime6.db.apiKey.updateMany({ where: { id: key.id, revokedAt: null }, data: { revokedAt: now } });
  runtime6.revocations.keyChanged(key.id);
  runtime6.tokenEvents.record({
    action: "revoke",
    outcome: "success",
    client,
    userId: principal.userId,
    serviceAccountId: key.serviceAccountId,
    apiKeyId: key.id
  });
  return runtime6.db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
}
async function rollApiKey(runtime6, principal, keyId, gracePeriodSeconds, client) {
  if (!Number.isInteger(gracePeriodSeconds) || gracePeriodSeconds < 0 || gracePeriodSeconds > maxRollGraceSeconds) {
    throw badInput([{ field: "gracePeriodSeconds", message: `must be between 0 and ${maxRollGraceSeconds}` }]);
  }
  const key = await managedKeyOrThrow(runtime6, principal, keyId);
  const now = runtime6.clock();
  if (key.revokedAt || key.expiresAt && key.expiresAt <= now) {
    throw badInput([{ field: "id", message: "the key is revoked or expired; create a new one" }]);
  }
  const secret = newKeySecret(runtime6.config.apiKeys.prefix, key.environment, runtime6.serverSecret);
  const graceEnds = gracePeriodSeconds > 0 ? new Date(now.getTime() + gracePeriodSeconds * 1e3) : null;
  const { count } = await runtime6.db.apiKey.updateMany({
    where: { id: key.id, secretHash: key.secretHash, revokedAt: null },
    data: {
      secretHash: secret.secretHash,
      prefix: secret.displayPrefix,
      previousSecretHash: graceEnds ? key.secretHash : null,
      previousSecretExpiresAt: graceEnds
    }
  });
  if (count !== 1) throw new AppError("CONFLICT", { message: "The key changed meanwhile; try again." });
  runtime6.revocations.keyChanged(key.id);
  runtime6.tokenEvents.record({
    action: "roll",
    outcome: "success",
    operation: `grace ${gracePeriodSeconds}s`,
    client,
    userId: principal.userId,
    serviceAccountId: key.serviceAccountId,
    apiKeyId: key.id
  });
  return { apiKey: await runtime6.db.apiKey.findUniqueOrThrow({ where: { id: key.id } }), rawKey: secret.rawKey };
}

// src/schema/connections.ts
var PageInfo = builder.objectRef("PageInfo").implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean("hasNextPage"),
    endCursor: t.string({ nullable: true, description: "Pass as `after` for the next page.", resolve: (page2) => page2.cursors.at(-1) ?? null })
  })
});
function connectionOf(name, nodeRef) {
  const node = nodeRef;
  const Edge = builder.objectRef(`${name}Edge`).implement({
    fields: (t) => ({
      cursor: t.exposeString("cursor"),
      node: t.field({ type: node, resolve: (edge) => edge.node })
    })
  });
  const Connection = builder.objectRef(`${name}Connection`).implement({
    fields: (t) => ({
      edges: t.field({
        type: [Edge],
        resolve: (page2) => page2.nodes.map((row, index) => ({ cursor: page2.cursors[index], node: row }))
      }),
      nodes: t.field({ type: [node], resolve: (page2) => page2.nodes }),
      pageInfo: t.field({ type: PageInfo, resolve: (page2) => page2 })
    })
  });
  return Connection;
}

// src/schema/principal.ts
function sessionOf(context) {
  const { principal } = context.credentials;
  if (principal.kind !== "session") throw new AppError("FORBIDDEN");
  return principal;
}

// src/schema/apikeys.ts
var KeyEnvironmentEnum = builder.enumType("KeyEnvironment", { values: keyEnvironments });
var ApiKey = builder.prismaObject("ApiKey", {
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    prefix: t.exposeString("prefix", { description: "The start of the key, e.g. `sk_live_a1b2`: all that is shown after creation." }),
    environment: t.field({ type: KeyEnvironmentEnum, resolve: (key) => key.environment }),
    scopes: t.stringList({
      nullable: true,
      description: "What the key is narrowed to; null means all of its owner's scopes.",
      resolve: (key) => key.scopes === null ? null : key.scopes.split(" ").filter(Boolean)
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    lastUsedAt: t.field({
      type: "DateTime",
      nullable: true,
      resolve: (key, _args, { runtime: runtime6 }) => runtime6.tokenEvents.pendingLastUse(key.id) ?? key.lastUsedAt
    }),
    expiresAt: t.expose("expiresAt", { type: "DateTime", nullable: true }),
    revokedAt: t.expose("revokedAt", { type: "DateTime", nullable: true }),
    isActive: t.boolean({
      resolve: (key, _args, { runtime: runtime6 }) => !key.revokedAt && (!key.expiresAt || key.expiresAt > runtime6.clock())
    })
  })
});
var CreatedApiKey = builder.objectRef("CreatedApiKey").implement({
  fields: (t) => ({
    apiKey: t.field({ type: ApiKey, resolve: (created) => created.apiKey }),
    rawKey: t.exposeString("rawKey", { description: "The whole key. Returned here once and never again: store it now." })
  })
});
var CreateApiKeyInputRef = builder.inputType("CreateApiKeyInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    scopes: t.stringList({ description: "Narrows the key to these scopes (account:read, tokens:read, admin); omitted: all of the owner's." }),
    expiresAt: t.field({ type: "DateTime", description: "Omitted: the key does not expire." }),
    environment: t.field({ type: KeyEnvironmentEnum, defaultValue: "LIVE" })
  })
});
var ApiKeyConnection = connectionOf("ApiKey", ApiKey);
builder.objectFields(Credential, (t) => ({
  environment: t.field({
    type: KeyEnvironmentEnum,
    nullable: true,
    description: "LIVE or TEST for an API key; null for a session.",
    resolve: (credential) => credential.environment
  }),
  scopes: t.stringList({
    nullable: true,
    description: "An API key's effective scopes; null for a session, which holds them all.",
    resolve: (credential) => credential.scopes
  })
}));
builder.queryFields((t) => ({
  apiKeys: t.field({
    type: ApiKeyConnection,
    description: "The caller's keys, newest first, revoked and expired ones included. Needs a session.",
    authScopes: { session: true },
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: (_root, page2, context) => listApiKeys(context.runtime, sessionOf(context).userId, page2)
  }),
  apiKey: t.field({
    type: ApiKey,
    nullable: true,
    description: "One of the caller's keys (or, for an admin, a service account's). Needs a session.",
    authScopes: { session: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, context) => findManagedApiKey(context.runtime, sessionOf(context), String(id))
  })
}));
builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreatedApiKey,
    description: "Mints a key for the caller. Needs a session.",
    authScopes: { session: true },
    args: { input: t.arg({ type: CreateApiKeyInputRef, required: true }) },
    resolve: (_root, { input }, context) => {
      const { userId } = sessionOf(context);
      return createApiKey(context.runtime, { userId }, input, { userId, client: context.client });
    }
  }),
  revokeApiKey: t.field({
    type: ApiKey,
    description: "Refused from the very next request on. Needs a session.",
    authScopes: { session: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, context) => revokeApiKey(context.runtime, sessionOf(context), String(id), context.client)
  }),
  rollApiKey: t.field({
    type: CreatedApiKey,
    description: "A new secret for the same key (id, settings and log); the old secret works until the grace period ends.",
    authScopes: { session: true },
    args: { id: t.arg.id({ required: true }), gracePeriodSeconds: t.arg.int({ defaultValue: 0 }) },
    resolve: (_root, { id, gracePeriodSeconds }, context) => rollApiKey(context.runtime, sessionOf(context), String(id), gracePeriodSeconds ?? 0, context.client)
  })
}));

// src/service-accounts/service-accounts.ts
import { z as z8 } from "zod";
var createSchema2 = z8.object({
  name: z8.string().trim().regex(/^[\w .-]{1,64}$/, "must be 1 to 64 letters, digits, spaces, _ . -"),
  description: z8.string().trim().max(500, "must be at most 500 characters").nullish(),
  role: z8.enum(roles).nullish(),
  scopes: z8.array(z8.enum(apiKeyScopes, { error: `must be one of ${apiKeyScopes.join(", ")}` }))
});
async function createServiceAccount(runtime6, input, createdById) {
  const { name, description, role, scopes } = parseOrThrow(createSchema2, input);
  const allowed = scopesOfRole(role ?? "USER");
  const beyondRole = scopes.filter((scope) => !allowed.includes(scope));
  if (beyondRole.length > 0) throw badInput([{ field: "scopes", message: `${beyondRole.join(", ")} needs the ADMIN role` }]);
  try {
    return await runtime6.db.serviceAccount.create({
      data: { name, description: description || null, role: role ?? "USER", scopes: storeScopes(scopes), createdById, createdAt: runtime6.clock() }
    });
  } catch (error) {
    if (error.code === "P2002") {
      throw new AppError("CONFLICT", { message: "A service account with that name exists.", fields: [{ field: "name", message: "is taken" }] });
    }
    throw error;
  }
}
function listServiceAccounts(runtime6) {
  return runtime6.db.serviceAccount.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
}

// src/schema/service-accounts.ts
var RoleEnum = builder.enumType("Role", { values: roles });
var ServiceAccount = builder.prismaObject("ServiceAccount", {
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    description: t.exposeString("description", { nullable: true }),
    role: t.field({ type: RoleEnum, resolve: (account) => account.role }),
    scopes: t.stringList({ description: "The most its keys can hold.", resolve: (account) => parseScopes(account.scopes) }),
    plan: t.exposeString("plan"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    apiKeys: t.relation("apiKeys", {
      description: "Admins only, with a session.",
      authScopes: { $all: { session: true, admin: true } },
      query: { orderBy: [{ createdAt: "desc" }, { id: "desc" }] }
    })
  })
});
var ApiKeyOwner = builder.unionType("ApiKeyOwner", {
  types: [User, ServiceAccount],
  resolveType: (owner) => "username" in owner ? User : ServiceAccount
});
builder.objectField(
  ApiKey,
  "owner",
  (t) => t.field({
    type: ApiKeyOwner,
    resolve: async (key, _args, { runtime: runtime6 }) => key.userId ? runtime6.db.user.findUniqueOrThrow({ where: { id: key.userId } }) : runtime6.db.serviceAccount.findUniqueOrThrow({ where: { id: key.serviceAccountId } })
  })
);
builder.objectField(
  Whoami,
  "serviceAccount",
  (t) => t.prismaField({
    type: "ServiceAccount",
    nullable: true,
    description: "The service account an API key belongs to; null for a user.",
    resolve: (query, whoami2, _args, { runtime: runtime6 }) => whoami2.serviceAccountId ? runtime6.db.serviceAccount.findUnique({ ...query, where: { id: whoami2.serviceAccountId } }) : null
  })
);
var CreateServiceAccountInput = builder.inputType("CreateServiceAccountInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string(),
    role: t.field({ type: RoleEnum, defaultValue: "USER" }),
    scopes: t.stringList({ required: true, description: "account:read, tokens:read; admin needs the ADMIN role." })
  })
});
builder.queryFields((t) => ({
  serviceAccounts: t.prismaField({
    type: ["ServiceAccount"],
    description: "Admins only: a session, or a LIVE key with the admin scope.",
    authScopes: { admin: true },
    resolve: (_query, _root, _args, { runtime: runtime6 }) => listServiceAccounts(runtime6)
  })
}));
builder.mutationFields((t) => ({
  createServiceAccount: t.prismaField({
    type: "ServiceAccount",
    description: "Admins only, with a session.",
    authScopes: { $all: { session: true, admin: true } },
    args: { input: t.arg({ type: CreateServiceAccountInput, required: true }) },
    resolve: (_query, _root, { input }, context) => createServiceAccount(context.runtime, input, sessionOf(context).userId)
  }),
  createServiceAccountKey: t.field({
    type: CreatedApiKey,
    description: "Admins only, with a session. The key does not expire unless expiresAt is set.",
    authScopes: { $all: { session: true, admin: true } },
    args: { serviceAccountId: t.arg.id({ required: true }), input: t.arg({ type: CreateApiKeyInputRef, required: true }) },
    resolve: (_root, { serviceAccountId, input }, context) => {
      const { userId } = sessionOf(context);
      return createApiKey(context.runtime, { serviceAccountId: String(serviceAccountId) }, input, {
        userId,
        client: context.client
      });
    }
  })
}));

// src/sessions/manage.ts
function listActiveSessions(runtime6, userId) {
  return runtime6.db.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: runtime6.clock() } },
    orderBy: [{ lastUsedAt: "desc" }, { id: "desc" }]
  });
}
async function revokeOwnSession(runtime6, principal, sessionId) {
  const session = await runtime6.db.session.findFirst({ where: { id: sessionId, userId: principal.userId }, select: { id: true } });
  if (!session) throw new AppError("NOT_FOUND", { message: "No such session." });
  await revokeSession(runtime6, session.id, "revoked");
  return runtime6.db.session.findUniqueOrThrow({ where: { id: session.id } });
}
async function endSessions(runtime6, userId, exceptSessionId) {
  const now = runtime6.clock();
  const revoked = await runtime6.db.session.updateManyAndReturn({
    where: { userId, revokedAt: null, expiresAt: { gt: now }, ...exceptSessionId && { id: { not: exceptSessionId } } },
    data: { revokedAt: now, revokeReason: "revoked" },
    select: { id: true }
  });
  const sessionIds = revoked.map((session) => session.id);
  refuseAccessTokens(runtime6, sessionIds, now);
  for (const sessionId of sessionIds) {
    runtime6.tokenEvents.record({ action: "revoke", outcome: "success", operation: "revoked", userId, sessionId });
  }
  return sessionIds.length;
}
var endOtherSessions = (runtime6, principal) => endSessions(runtime6, principal.userId, principal.sessionId);
async function endAllSessionsOf(runtime6, userId) {
  const user = await runtime6.db.user.findUnique({ where: { id: userId }, select: { id: true } });
  if (!user) throw new AppError("NOT_FOUND", { message: "No such user." });
  return endSessions(runtime6, user.id);
}

// src/schema/session-management.ts
builder.prismaObject("Session", {
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name", { description: 'The client, from its User-Agent (e.g. "Firefox 132 on Linux").' }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    lastUsedAt: t.expose("lastUsedAt", { type: "DateTime", description: "The last sign-in or refresh." }),
    expiresAt: t.expose("expiresAt", { type: "DateTime" }),
    revokedAt: t.expose("revokedAt", { type: "DateTime", nullable: true }),
    current: t.boolean({
      description: "Whether this is the session making the call.",
      resolve: (session, _args, { credentials: { principal } }) => principal.kind === "session" && principal.sessionId === session.id
    })
  })
});
builder.queryFields((t) => ({
  sessions: t.prismaField({
    type: ["Session"],
    description: "The caller's active sign-ins, most recently used first. Needs a session.",
    authScopes: { session: true },
    resolve: (_query, _root, _args, context) => listActiveSessions(context.runtime, sessionOf(context).userId)
  })
}));
builder.mutationFields((t) => ({
  revokeSession: t.prismaField({
    type: "Session",
    description: "Ends one of your sessions. Needs a session.",
    authScopes: { session: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_query, _root, { id }, context) => revokeOwnSession(context.runtime, sessionOf(context), String(id))
  }),
  revokeOtherSessions: t.int({
    description: "Signs out everywhere but here; returns how many sessions ended. Needs a session.",
    authScopes: { session: true },
    resolve: (_root, _args, context) => endOtherSessions(context.runtime, sessionOf(context))
  }),
  revokeUserSessions: t.int({
    description: "Admins only, with a session: ends every session of an account.",
    authScopes: { $all: { session: true, admin: true } },
    args: { userId: t.arg.id({ required: true }) },
    resolve: (_root, { userId }, context) => endAllSessionsOf(context.runtime, String(userId))
  })
}));

// src/token-events/queries.ts
function listEvents(runtime6, filter, page2) {
  return keysetPage(
    page2,
    (before, take) => runtime6.db.tokenEvent.findMany({
      where: { ...filter, ...olderThan("at", before) },
      orderBy: [{ at: "desc" }, { id: "desc" }],
      take
    }),
    (event) => ({ at: event.at, id: event.id })
  );
}
async function tokenLog(runtime6, principal, tokenId, page2) {
  const [session, apiKey] = await Promise.all([
    runtime6.db.session.findUnique({ where: { id: tokenId }, select: { userId: true } }),
    runtime6.db.apiKey.findUnique({ where: { id: tokenId }, select: { userId: true, serviceAccountId: true } })
  ]);
  const owner = session ?? apiKey;
  const callerUserId = principal.kind === "anonymous" ? null : principal.userId;
  const callerServiceAccountId = principal.kind === "apiKey" ? principal.serviceAccountId : null;
  const owns = owner && (owner.userId !== null && owner.userId === callerUserId || apiKey?.serviceAccountId != null && apiKey.serviceAccountId === callerServiceAccountId);
  if (!owner || !(owns || await isAdmin(runtime6, principal))) throw new AppError("NOT_FOUND", { message: "No such token." });
  return listEvents(runtime6, session ? { sessionId: tokenId } : { apiKeyId: tokenId }, page2);
}
function auditLog(runtime6, principal, page2, userId) {
  const subject = userId ?? (principal.kind === "anonymous" ? null : principal.userId);
  if (!subject) {
    throw new AppError("FORBIDDEN", { message: "A service account has no account log; read its keys with tokenLog." });
  }
  return listEvents(runtime6, { userId: subject }, page2);
}

// src/schema/token-events.ts
var TokenEvent = builder.prismaObject("TokenEvent", {
  fields: (t) => ({
    id: t.exposeID("id"),
    at: t.expose("at", { type: "DateTime" }),
    action: t.exposeString("action", { description: "login, refresh, reuse-detected, revoke, request, create or roll." }),
    operation: t.exposeString("operation", {
      nullable: true,
      description: "The GraphQL operation or REST path of a request; the reason of a revocation."
    }),
    outcome: t.exposeString("outcome", { description: "`success`, or the error code the attempt ended with." }),
    ip: t.exposeString("ip", { nullable: true }),
    userAgent: t.exposeString("userAgent", { nullable: true }),
    tokenId: t.id({
      nullable: true,
      description: "The session or API key concerned.",
      resolve: (event) => event.sessionId ?? event.apiKeyId
    })
  })
});
var TokenEventConnection = connectionOf("TokenEvent", TokenEvent);
builder.queryFields((t) => ({
  tokenLog: t.field({
    type: TokenEventConnection,
    description: "A session's or an API key's activity, newest first. A session, or a key with tokens:read.",
    authScopes: { scope: "tokens:read" },
    args: { tokenId: t.arg.id({ required: true }), first: t.arg.int(), after: t.arg.string() },
    resolve: (_root, { tokenId, ...page2 }, { runtime: runtime6, credentials }) => tokenLog(runtime6, credentials.principal, String(tokenId), page2)
  }),
  auditLog: t.field({
    type: TokenEventConnection,
    description: "Every credential event of the caller's account, newest first; admins may pass userId.",
    authScopes: (_root, { userId }) => userId ? { $all: { admin: true, scope: "tokens:read" } } : { scope: "tokens:read" },
    args: { first: t.arg.int(), after: t.arg.string(), userId: t.arg.id() },
    resolve: (_root, { userId, ...page2 }, { runtime: runtime6, credentials }) => auditLog(runtime6, credentials.principal, page2, userId ? String(userId) : null)
  })
}));

// src/schema/index.ts
var schema = builder.toSchema();

// src/schema/key-use.ts
import { getOperationAST } from "graphql";

// src/apikeys/usage.ts
function recordKeyUse(runtime6, principal, use) {
  runtime6.tokenEvents.keyUsed(principal.keyId, runtime6.clock());
  runtime6.tokenEvents.record({
    action: "request",
    ...use,
    apiKeyId: principal.keyId,
    userId: principal.userId,
    serviceAccountId: principal.serviceAccountId
  });
}

// src/schema/key-use.ts
var operationLabelLimit = 200;
function operationLabel(document, operationName) {
  const operation = getOperationAST(document, operationName);
  if (!operation) return "unknown";
  if (operation.name) return operation.name.value.slice(0, operationLabelLimit);
  const fields = operation.selectionSet.selections.map((selection) => selection.kind === "Field" ? selection.name.value : "...");
  return `${operation.operation} ${[...new Set(fields)].join(",")}`.slice(0, operationLabelLimit);
}
function outcomeOf(errors2) {
  const [first] = errors2 ?? [];
  if (!first) return "success";
  if (first.originalError instanceof AppError) return first.originalError.code;
  return typeof first.extensions?.code === "string" ? first.extensions.code : "INTERNAL";
}
function useKeyUseLog() {
  return {
    onExecute({ args }) {
      const context = args.contextValue;
      const { principal } = context.credentials;
      if (principal.kind !== "apiKey") return;
      const operation = operationLabel(args.document, args.operationName);
      return {
        onExecuteDone({ result }) {
          const errors2 = Symbol.asyncIterator in result ? void 0 : result.errors;
          recordKeyUse(context.runtime, principal, { operation, outcome: outcomeOf(errors2), client: context.client });
        }
      };
    }
  };
}

// src/schema/graphiql.ts
import { introspectionFromSchema } from "graphql";
var graphiqlDefaultQuery = `# Welcome to authgraph.
# Ctrl-Enter runs the operation under the cursor;
# the Run button asks which one to run.
#
# 1. Run "Register" to create an account
#    (change the names first).
# 2. Run "Login" and copy accessToken from the answer.
# 3. Open the Headers tab below and paste:
#      { "Authorization": "Bearer <accessToken>" }
# 4. Run "Whoami".
#
# An access token lasts an hour: run Login again for a
# new one. API keys go in the same header (or in
# X-API-Key). The web console is at /console.

mutation Register {
  register(input: { username: "ada", email: "ada@example.com", password: "correct horse battery" }) {
    id
    username
  }
}

mutation Login {
  login(input: { username: "ada", password: "correct horse battery" }) {
    accessToken
    expiresIn
    refreshToken
  }
}

query Whoami {
  whoami {
    user { username email }
    credential { kind id name }
  }
}
`;
var graphiqlOptions = {
  title: "authgraph",
  defaultQuery: graphiqlDefaultQuery,
  shouldPersistHeaders: false,
  schema: introspectionFromSchema(schema)
};

// src/rest/index.ts
import { readFileSync as readFileSync2 } from "node:fs";
import { createRequire } from "node:module";
import { join as join2 } from "node:path";

// src/rest/api.ts
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
function principalAllowed(auth, principal) {
  if (auth === "public") return true;
  if (principal.kind === "anonymous") return false;
  if (auth === "session") return principal.kind === "session";
  return auth === "credential" || holdsScope(principal, "account:read");
}
var snakeCase = (field) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
function validationBody(problems) {
  return {
    detail: problems.map((problem) => ({
      loc: ["body", ...problem.field.split(".").map(snakeCase)],
      msg: problem.message,
      type: "value_error"
    })),
    code: "BAD_USER_INPUT"
  };
}
function errorResponse(c, error) {
  if (error.retryAfter !== void 0) c.header("Retry-After", String(error.retryAfter));
  if (error.code === "BAD_USER_INPUT" && error.fields) return c.json(validationBody(error.fields), 422);
  return c.json({ detail: error.message, code: error.code }, error.status);
}
var safelyDecoded = (url2) => {
  try {
    return decodeURIComponent(url2);
  } catch {
    return url2;
  }
};
var httpExceptionCodes = { 400: "BAD_REQUEST", 413: "PAYLOAD_TOO_LARGE", 415: "UNSUPPORTED_MEDIA_TYPE" };
function createRestApi(runtime6) {
  const api = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (result.success) return;
      const problems = result.error.issues.map((issue) => ({
        field: issue.path.map(String).join(".") || "body",
        message: issue.message
      }));
      return c.json(validationBody(problems), 422);
    }
  });
  api.onError((error, c) => {
    if (error instanceof AppError) return errorResponse(c, error);
    if (error instanceof HTTPException) {
      const code2 = httpExceptionCodes[error.status] ?? "BAD_REQUEST";
      return c.json({ detail: error.message || "Bad request.", code: code2 }, error.status);
    }
    const { name, code } = error;
    runtime6.logger.error({ err: { type: name, code }, path: c.req.path }, "unexpected error");
    return c.json({ detail: errorCodes.INTERNAL.message, code: "INTERNAL" }, 500);
  });
  api.use("*", async (c, next) => {
    const body = c.req.header("content-type")?.includes("json") ? await c.req.json().catch(() => void 0) : void 0;
    if (containsNulCharacter(safelyDecoded(c.req.url)) || containsNulCharacter(body)) throw nulCharacterRefused();
    await next();
  });
  api.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  api.openAPIRegistry.registerComponent("securitySchemes", "basic", { type: "http", scheme: "basic" });
  api.openAPIRegistry.registerComponent("securitySchemes", "apiKey", { type: "apiKey", in: "header", name: "X-API-Key" });
  return api;
}
var securityFor = {
  public: void 0,
  basic: [{ basic: [] }],
  session: [{ bearer: [] }],
  credential: [{ bearer: [] }, { apiKey: [] }],
  owner: [{ bearer: [] }, { apiKey: [] }]
};
function authenticate(runtime6, auth) {
  return async (c, next) => {
    if (auth === "basic") {
      const basic = readBasicCredentials(c.req.raw.headers);
      if (!basic) {
        c.header("WWW-Authenticate", 'Basic realm="authgraph"');
        throw new AppError("UNAUTHENTICATED", { message: "This route takes HTTP Basic credentials." });
      }
      c.set("basic", basic);
    } else if (auth !== "public") {
      const credentials = await resolveCredentials(runtime6, c.req.raw.headers, clientOf(c));
      const { principal } = credentials;
      if (principal.kind === "anonymous") throw new AppError("UNAUTHENTICATED");
      c.set("credentials", credentials);
      if (principal.kind === "apiKey") {
        let outcome = "INTERNAL";
        try {
          if (!principalAllowed(auth, principal)) {
            const message = auth === "session" ? "This route needs a signed-in session (JWT), not an API key." : "This key lacks the account:read scope.";
            throw new AppError("FORBIDDEN", { message });
          }
          await next();
          outcome = c.error instanceof AppError ? c.error.code : c.res.status < 400 ? "success" : String(c.res.status);
        } catch (error) {
          if (error instanceof AppError) outcome = error.code;
          throw error;
        } finally {
          recordKeyUse(runtime6, principal, { operation: `${c.req.method} ${c.req.routePath}`, outcome, client: clientOf(c) });
        }
        return;
      }
    }
    await next();
  };
}
function restRoute(runtime6, table, auth, config4) {
  table.push({ method: config4.method.toUpperCase(), path: config4.path, auth });
  return createRoute({ ...config4, security: securityFor[auth], middleware: [authenticate(runtime6, auth)] });
}
function principalOf(c) {
  return c.get("credentials").principal;
}
function sessionOf2(c) {
  const principal = principalOf(c);
  if (principal.kind !== "session") throw new AppError("FORBIDDEN");
  return principal;
}
function clientOf(c) {
  return { userAgent: c.req.header("user-agent") ?? "", ip: c.env?.ip };
}
function json(schema2, description) {
  return { content: { "application/json": { schema: schema2 } }, description };
}
function jsonBody(schema2) {
  return { body: { content: { "application/json": { schema: schema2 } }, required: true } };
}

// src/rest/novavms.ts
import { z as z9 } from "@hono/zod-openapi";
var novavmsRefreshPath = "/api/auth/refresh";
var LoginBody = z9.object({
  email: z9.string().openapi({ example: "ops@example.com" }),
  password: z9.string().openapi({ example: "CorrectHorseBattery!" }),
  client_type: z9.enum(["api", "browser"]).default("api"),
  remember_me: z9.boolean().default(false)
}).openapi("NovaLoginBody");
var TokenPair = z9.object({
  access_token: z9.string(),
  refresh_token: z9.string().optional().openapi({ description: "Absent for browser clients: it is set as an HttpOnly cookie." }),
  token_type: z9.literal("bearer"),
  expires_in: z9.number().int(),
  refresh_expires_at: z9.string().datetime()
}).openapi("NovaTokenPair");
function tokenPair(c, runtime6, tokens, viaCookie) {
  c.header("Cache-Control", "no-store");
  if (viaCookie) c.header("Set-Cookie", refreshCookie(runtime6, tokens.refreshToken, tokens.refreshExpiresAt, novavmsRefreshPath));
  return c.json(
    {
      access_token: tokens.accessToken,
      ...viaCookie ? {} : { refresh_token: tokens.refreshToken },
      token_type: "bearer",
      expires_in: tokens.expiresIn,
      refresh_expires_at: tokens.refreshExpiresAt.toISOString()
    },
    200
  );
}
function novavmsRoutes(api, runtime6, table) {
  const loginRoute = restRoute(runtime6, table, "public", {
    method: "post",
    path: "/api/auth/login",
    summary: "Exchange e-mail and password for a 1 h access JWT and a rotating refresh token",
    tags: ["NovaVMS"],
    request: jsonBody(LoginBody),
    responses: { 200: json(TokenPair, "The token pair (refresh token as a cookie for browser clients)") }
  });
  api.openapi(loginRoute, async (c) => {
    const body = c.req.valid("json");
    const clientType = body.client_type === "browser" ? "BROWSER" : "API";
    const tokens = await login(
      runtime6,
      { login: body.email, password: body.password, clientType, rememberMe: body.remember_me },
      clientOf(c)
    );
    return tokenPair(c, runtime6, tokens, clientType === "BROWSER");
  });
  const refreshRoute = restRoute(runtime6, table, "public", {
    method: "post",
    path: novavmsRefreshPath,
    summary: "Rotate the refresh token (Authorization: Bearer <refresh token>, or the cookie)",
    tags: ["NovaVMS"],
    responses: { 200: json(TokenPair, "The new pair; the old refresh token is spent") }
  });
  api.openapi(refreshRoute, async (c) => {
    const { bearerRefreshToken } = await resolveCredentials(runtime6, c.req.raw.headers);
    const cookieToken = readCookie(c.req.raw.headers, refreshCookieName);
    const refreshToken = bearerRefreshToken ?? cookieToken;
    if (!refreshToken) throw new AppError("UNAUTHENTICATED", { message: "No refresh token was presented." });
    try {
      const tokens = await refreshSession(runtime6, refreshToken, clientOf(c));
      return tokenPair(c, runtime6, tokens, refreshToken === cookieToken && !bearerRefreshToken);
    } catch (error) {
      if (cookieToken && !bearerRefreshToken) c.header("Set-Cookie", clearedRefreshCookie(runtime6, novavmsRefreshPath));
      throw error;
    }
  });
}

// src/rest/novem.ts
import { z as z11 } from "@hono/zod-openapi";

// src/rest/shapes.ts
import { z as z10 } from "@hono/zod-openapi";
var UserProfile = z10.object({
  id: z10.string().uuid(),
  username: z10.string(),
  email: z10.string().email(),
  full_name: z10.string().nullable(),
  created_at: z10.string().datetime()
}).openapi("UserProfile");
function userProfile(user) {
  return { id: user.id, username: user.username, email: user.email, full_name: user.fullName, created_at: user.createdAt.toISOString() };
}
async function registerFromBody(runtime6, body, client) {
  return userProfile(await registerUser(runtime6, { ...body, fullName: body.full_name }, client));
}
var RegisterBody = z10.object({
  username: z10.string().openapi({ example: "yourname" }),
  email: z10.string().openapi({ example: "you@example.com" }),
  password: z10.string().openapi({ example: "secureP@ss123" }),
  full_name: z10.string().nullish().openapi({ example: "Your Name" })
}).openapi("RegisterBody");
var AccountStatus = z10.object({
  username: z10.string(),
  email: z10.string().email(),
  email_verified: z10.boolean(),
  google_linked: z10.boolean(),
  has_password: z10.boolean(),
  can_unlink_google: z10.boolean(),
  available_sign_in_methods: z10.array(z10.enum(["password", "google"])),
  role: z10.string(),
  plan: z10.string()
}).openapi("AccountStatus");
function accountStatus(account) {
  return {
    username: account.username,
    email: account.email,
    email_verified: account.emailVerified,
    google_linked: account.googleLinked,
    has_password: account.hasPassword,
    can_unlink_google: account.canUnlinkGoogle,
    available_sign_in_methods: account.availableSignInMethods.map((method) => method === "PASSWORD" ? "password" : "google"),
    role: account.role,
    plan: account.plan
  };
}
var BearerToken = z10.object({ access_token: z10.string(), token_type: z10.literal("bearer") }).openapi("BearerToken");

// src/rest/novem.ts
var AuthBody = z11.object({
  name: z11.string().optional().openapi({ description: "A name for the token; defaults to the client (User-Agent) summary" }),
  remember_me: z11.boolean().default(false)
}).openapi("NovemAuthBody");
var NamedToken = z11.object({
  name: z11.string(),
  token: z11.string().openapi({ description: "The token value, shown once" }),
  token_type: z11.literal("bearer"),
  expires_in: z11.number().int()
}).openapi("NovemNamedToken");
var Whoami2 = z11.object({
  user: UserProfile.nullable().openapi({ description: "Null when a service-account key calls" }),
  service_account_id: z11.string().nullable(),
  credential: z11.object({
    kind: z11.enum(["session", "api_key"]),
    id: z11.string(),
    name: z11.string().nullable(),
    environment: z11.string().nullable().openapi({ description: "live or test, for keys" })
  })
}).openapi("NovemWhoami");
var ChallengeAnswer = z11.object({
  purpose: z11.enum(["VERIFY_EMAIL", "RESET_PASSWORD"]),
  email_verified: z11.boolean(),
  reset_token: z11.string().nullable().openapi({ description: "For RESET_PASSWORD: what /v1/auth/reset-password takes" }),
  reset_token_expires_at: z11.string().datetime().nullable()
}).openapi("NovemChallengeAnswer");
function novemRoutes(api, runtime6, table) {
  const register = restRoute(runtime6, table, "public", {
    method: "post",
    path: "/v1/register",
    summary: "Register a new user account",
    tags: ["novem"],
    request: { body: { content: { "application/json": { schema: RegisterBody } }, required: true } },
    responses: { 201: json(UserProfile, "The new user") }
  });
  api.openapi(register, async (c) => {
    const body = c.req.valid("json");
    return c.json(await registerFromBody(runtime6, body, clientOf(c)), 201);
  });
  const auth = restRoute(runtime6, table, "basic", {
    method: "post",
    path: "/v1/auth",
    summary: "Log in with username + password; creates a named token and sets a session cookie",
    tags: ["novem"],
    request: { body: { content: { "application/json": { schema: AuthBody } }, required: false } },
    responses: { 200: json(NamedToken, "The token, shown once; the refresh cookie is set") }
  });
  api.openapi(auth, async (c) => {
    const body = c.req.header("content-type")?.includes("application/json") ? c.req.valid("json") : { remember_me: false };
    const { username, password } = c.get("basic");
    const tokens = await login(
      runtime6,
      { login: username, password, clientType: "BROWSER", rememberMe: body.remember_me, sessionName: body.name },
      clientOf(c)
    );
    const session = await runtime6.db.session.findUniqueOrThrow({ where: { id: tokens.sessionId }, select: { name: true } });
    c.header("Cache-Control", "no-store");
    c.header("Set-Cookie", refreshCookie(runtime6, tokens.refreshToken, tokens.refreshExpiresAt, novavmsRefreshPath));
    return c.json({ name: session.name, token: tokens.accessToken, token_type: "bearer", expires_in: tokens.expiresIn }, 200);
  });
  const verify = restRoute(runtime6, table, "credential", {
    method: "get",
    path: "/v1/token",
    summary: "Verify credentials; 200 when the token is valid",
    tags: ["novem"],
    responses: { 200: json(z11.object({ valid: z11.literal(true) }).openapi("NovemTokenValid"), "The token is valid") }
  });
  api.openapi(verify, (c) => c.json({ valid: true }, 200));
  const logout = restRoute(runtime6, table, "session", {
    method: "post",
    path: "/v1/logout",
    summary: "Invalidate the current session",
    tags: ["novem"],
    responses: { 200: json(z11.object({ logged_out: z11.literal(true) }).openapi("NovemLoggedOut"), "The session is over") }
  });
  api.openapi(logout, async (c) => {
    const principal = principalOf(c);
    if (principal.kind !== "session") throw new AppError("FORBIDDEN");
    await revokeSession(runtime6, principal.sessionId, "logout");
    return c.json({ logged_out: true }, 200);
  });
  const challenge = restRoute(runtime6, table, "public", {
    method: "post",
    path: "/v1/admin/challenge",
    summary: "Answer a challenge by its uid (knowing the uid from the e-mail is the proof)",
    tags: ["novem"],
    request: jsonBody(z11.object({ uid: z11.string() }).openapi("NovemChallengeBody")),
    responses: { 200: json(ChallengeAnswer, "The challenge is answered") }
  });
  api.openapi(challenge, async (c) => {
    const result = await answerByUid(runtime6, c.req.valid("json"));
    c.header("Cache-Control", "no-store");
    return c.json(
      {
        purpose: result.purpose,
        email_verified: result.emailVerified,
        reset_token: result.resetToken,
        reset_token_expires_at: result.resetTokenExpiresAt?.toISOString() ?? null
      },
      200
    );
  });
  const whoamiRoute = restRoute(runtime6, table, "owner", {
    method: "get",
    path: "/v1/whoami",
    summary: "The user the current token authenticates as",
    tags: ["novem"],
    responses: { 200: json(Whoami2, "The user and the credential") }
  });
  api.openapi(whoamiRoute, async (c) => {
    const principal = principalOf(c);
    const summary = await whoami(runtime6, principal);
    const user = summary.user ?? (summary.userId ? await keyOwnerView(runtime6, summary.userId) : null);
    if (summary.userId && !user) throw new AppError("UNAUTHENTICATED");
    const { credential } = summary;
    return c.json(
      {
        user: user && userProfile(user),
        service_account_id: summary.serviceAccountId,
        credential: {
          kind: credential.kind === "SESSION" ? "session" : "api_key",
          id: credential.id,
          name: credential.name,
          environment: credential.environment?.toLowerCase() ?? null
        }
      },
      200
    );
  });
}

// src/rest/novem-tokens.ts
import { z as z12 } from "@hono/zod-openapi";

// src/tokens/tokens.ts
async function listTokens(runtime6, userId) {
  const now = runtime6.clock();
  const [sessions, keys] = await Promise.all([
    runtime6.db.session.findMany({ where: { userId, revokedAt: null, expiresAt: { gt: now } } }),
    runtime6.db.apiKey.findMany({ where: { userId, ...activeKeyFilter(now) } })
  ]);
  return [
    ...sessions.map((session) => ({ kind: "session", ...session })),
    ...keys.map((key) => ({ kind: "api_key", ...key }))
  ].map(({ kind, id, name, createdAt, lastUsedAt, expiresAt }) => ({ kind, id, name, createdAt, lastUsedAt, expiresAt })).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}
async function findToken(runtime6, userId, nameOrId) {
  const tokens = await listTokens(runtime6, userId);
  const byId = tokens.find((token) => token.id === nameOrId);
  if (byId) return byId;
  const named = tokens.filter((token) => token.name === nameOrId);
  if (named.length === 0) throw new AppError("NOT_FOUND", { message: "No such token." });
  if (named.length > 1) throw new AppError("CONFLICT", { message: "Several tokens share that name; address it by id." });
  return named[0];
}

// src/rest/novem-tokens.ts
var TokenInfo = z12.object({
  name: z12.string(),
  id: z12.string(),
  kind: z12.enum(["session", "api_key"]),
  created_at: z12.string().datetime(),
  last_used_at: z12.string().datetime().nullable(),
  expires_at: z12.string().datetime().nullable()
}).openapi("NovemTokenInfo");
var TokenEvent2 = z12.object({
  at: z12.string().datetime(),
  action: z12.string(),
  operation: z12.string().nullable(),
  outcome: z12.string(),
  ip: z12.string().nullable(),
  user_agent: z12.string().nullable()
}).openapi("NovemTokenEvent");
var tokenInfo = (token) => ({
  name: token.name,
  id: token.id,
  kind: token.kind,
  created_at: token.createdAt.toISOString(),
  last_used_at: token.lastUsedAt?.toISOString() ?? null,
  expires_at: token.expiresAt?.toISOString() ?? null
});
var tokenParam = { params: z12.object({ token: z12.string().openapi({ description: "The token name (or id)" }) }) };
function novemTokenRoutes(api, runtime6, table) {
  const create = restRoute(runtime6, table, "basic", {
    method: "post",
    path: "/v1/token",
    summary: "Create a new named API token; the token value is returned in the response, once",
    tags: ["novem"],
    request: jsonBody(z12.object({ name: z12.string().openapi({ example: "ci-runner" }) }).openapi("NovemTokenBody")),
    responses: { 201: json(TokenInfo.extend({ token: z12.string() }).openapi("NovemCreatedToken"), "The new token, shown once") }
  });
  api.openapi(create, async (c) => {
    const { username, password } = c.get("basic");
    const client = clientOf(c);
    const user = await authenticatePassword(runtime6, username, password, client);
    const { apiKey, rawKey } = await createApiKey(runtime6, { userId: user.id }, { name: c.req.valid("json").name }, { userId: user.id, client });
    c.header("Cache-Control", "no-store");
    return c.json({ ...tokenInfo({ kind: "api_key", ...apiKey }), token: rawKey }, 201);
  });
  const list = restRoute(runtime6, table, "session", {
    method: "get",
    path: "/v1/admin/tokens",
    summary: "List your tokens (sessions and API tokens)",
    tags: ["novem"],
    responses: { 200: json(z12.array(TokenInfo), "Your active tokens, newest first") }
  });
  api.openapi(list, async (c) => c.json((await listTokens(runtime6, sessionOf2(c).userId)).map(tokenInfo), 200));
  const folder = restRoute(runtime6, table, "session", {
    method: "get",
    path: "/v1/admin/tokens/{token}",
    summary: "A token's folder",
    tags: ["novem"],
    request: tokenParam,
    responses: {
      200: json(z12.object({ name: z12.string(), entries: z12.array(z12.enum(["info", "log"])) }).openapi("NovemTokenFolder"), "The folder")
    }
  });
  api.openapi(folder, async (c) => {
    const token = await findToken(runtime6, sessionOf2(c).userId, c.req.valid("param").token);
    return c.json({ name: token.name, entries: ["info", "log"] }, 200);
  });
  const info = restRoute(runtime6, table, "session", {
    method: "get",
    path: "/v1/admin/tokens/{token}/info",
    summary: "Token metadata: name, creation time, last use",
    tags: ["novem"],
    request: tokenParam,
    responses: { 200: json(TokenInfo, "The metadata") }
  });
  api.openapi(info, async (c) => c.json(tokenInfo(await findToken(runtime6, sessionOf2(c).userId, c.req.valid("param").token)), 200));
  const log = restRoute(runtime6, table, "session", {
    method: "get",
    path: "/v1/admin/tokens/{token}/log",
    summary: "That token's activity log, newest first",
    tags: ["novem"],
    request: {
      ...tokenParam,
      query: z12.object({ limit: z12.coerce.number().int().min(1).max(100).optional(), after: z12.string().optional() })
    },
    responses: {
      200: json(z12.object({ events: z12.array(TokenEvent2), next: z12.string().nullable() }).openapi("NovemTokenLog"), "A page of events")
    }
  });
  api.openapi(log, async (c) => {
    const principal = sessionOf2(c);
    const token = await findToken(runtime6, principal.userId, c.req.valid("param").token);
    const { limit, after } = c.req.valid("query");
    const page2 = await tokenLog(runtime6, principal, token.id, { first: limit, after });
    const events = page2.nodes.map((event) => ({
      at: event.at.toISOString(),
      action: event.action,
      operation: event.operation,
      outcome: event.outcome,
      ip: event.ip,
      user_agent: event.userAgent
    }));
    return c.json({ events, next: page2.hasNextPage ? page2.cursors.at(-1) ?? null : null }, 200);
  });
  const revoke = restRoute(runtime6, table, "session", {
    method: "delete",
    path: "/v1/admin/tokens/{token}",
    summary: "Revoke the token",
    tags: ["novem"],
    request: tokenParam,
    responses: { 200: json(z12.object({ name: z12.string(), revoked: z12.literal(true) }).openapi("NovemTokenRevoked"), "Revoked") }
  });
  api.openapi(revoke, async (c) => {
    const principal = sessionOf2(c);
    const token = await findToken(runtime6, principal.userId, c.req.valid("param").token);
    if (token.kind === "session") await revokeOwnSession(runtime6, principal, token.id);
    else await revokeApiKey(runtime6, principal, token.id, clientOf(c));
    return c.json({ name: token.name, revoked: true }, 200);
  });
}

// src/rest/restume-keys.ts
import { z as z13 } from "@hono/zod-openapi";
var ApiKeySummary = z13.object({
  id: z13.string().uuid(),
  name: z13.string(),
  prefix: z13.string().openapi({ example: "rst_live_a1b2" }),
  created_at: z13.string().datetime(),
  last_used_at: z13.string().datetime().nullable(),
  expires_at: z13.string().datetime().nullable(),
  is_active: z13.boolean()
}).openapi("ApiKeySummary");
var CreatedKey = ApiKeySummary.extend({
  raw_key: z13.string().openapi({ description: "The full key, shown once" })
}).openapi("CreatedApiKey");
function apiKeySummary(key, now) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    created_at: key.createdAt.toISOString(),
    last_used_at: key.lastUsedAt?.toISOString() ?? null,
    expires_at: key.expiresAt?.toISOString() ?? null,
    is_active: !key.revokedAt && (!key.expiresAt || key.expiresAt > now)
  };
}
function restumeKeyRoutes(api, runtime6, table) {
  const create = restRoute(runtime6, table, "session", {
    method: "post",
    path: "/v1/auth/api-keys",
    summary: "Create an API key. The raw key is shown only once.",
    tags: ["RESTume"],
    request: jsonBody(
      z13.object({
        name: z13.string().openapi({ description: "Human-readable key label", example: "my-app-key" }),
        expires_at: z13.iso.datetime().optional()
      }).openapi("CreateApiKeyBody")
    ),
    responses: { 201: json(CreatedKey, "The key, with raw_key shown this once") }
  });
  api.openapi(create, async (c) => {
    const principal = sessionOf2(c);
    const body = c.req.valid("json");
    const { apiKey, rawKey } = await createApiKey(
      runtime6,
      { userId: principal.userId },
      { name: body.name, expiresAt: body.expires_at ? new Date(body.expires_at) : null },
      { userId: principal.userId, client: clientOf(c) }
    );
    c.header("Cache-Control", "no-store");
    return c.json({ ...apiKeySummary(apiKey, runtime6.clock()), raw_key: rawKey }, 201);
  });
  const list = restRoute(runtime6, table, "session", {
    method: "get",
    path: "/v1/auth/api-keys",
    summary: "List API keys for the authenticated user (prefixes only)",
    tags: ["RESTume"],
    responses: { 200: json(z13.array(ApiKeySummary), "The keys, newest first") }
  });
  api.openapi(list, async (c) => {
    const page2 = await listApiKeys(runtime6, sessionOf2(c).userId, { first: maxPageSize });
    const now = runtime6.clock();
    return c.json(page2.nodes.map((key) => apiKeySummary(key, now)), 200);
  });
  const revoke = restRoute(runtime6, table, "session", {
    method: "delete",
    path: "/v1/auth/api-keys/{key_id}",
    summary: "Revoke one API key; it is refused from the next request on",
    tags: ["RESTume"],
    request: { params: z13.object({ key_id: z13.string() }) },
    responses: { 200: json(ApiKeySummary, "The revoked key") }
  });
  api.openapi(revoke, async (c) => {
    const key = await revokeApiKey(runtime6, sessionOf2(c), c.req.valid("param").key_id, clientOf(c));
    return c.json(apiKeySummary(key, runtime6.clock()), 200);
  });
}

// src/rest/restume.ts
import { z as z14 } from "@hono/zod-openapi";
var LoginBody2 = z14.object({
  username: z14.string().openapi({ description: "Username or email", example: "hershel" }),
  password: z14.string().openapi({ example: "secureP@ss123" })
}).openapi("RestumeLoginBody");
function restumeRoutes(api, runtime6, table) {
  const register = restRoute(runtime6, table, "public", {
    method: "post",
    path: "/v1/auth/register",
    summary: "Create a new account",
    tags: ["RESTume"],
    request: jsonBody(RegisterBody),
    responses: { 201: json(UserProfile, "The new user profile") }
  });
  api.openapi(register, async (c) => {
    const body = c.req.valid("json");
    return c.json(await registerFromBody(runtime6, body, clientOf(c)), 201);
  });
  const signIn = restRoute(runtime6, table, "public", {
    method: "post",
    path: "/v1/auth/login",
    summary: "Sign in with username or email and receive a JWT",
    tags: ["RESTume"],
    request: jsonBody(LoginBody2),
    responses: { 200: json(BearerToken, "A JWT bearer token") }
  });
  api.openapi(signIn, async (c) => {
    const body = c.req.valid("json");
    const tokens = await login(
      runtime6,
      { login: body.username, password: body.password, clientType: "API", rememberMe: false },
      clientOf(c)
    );
    c.header("Cache-Control", "no-store");
    return c.json({ access_token: tokens.accessToken, token_type: "bearer" }, 200);
  });
  const account = restRoute(runtime6, table, "owner", {
    method: "get",
    path: "/v1/me/account",
    summary: "Account summary, plan and sign-in methods",
    tags: ["RESTume"],
    responses: { 200: json(AccountStatus, "CLI-safe account and auth state") }
  });
  api.openapi(account, async (c) => c.json(accountStatus(await getAccount(runtime6, accountUserId(principalOf(c)))), 200));
  const profile = restRoute(runtime6, table, "owner", {
    method: "get",
    path: "/v1/me/profile",
    summary: "The owner's profile",
    tags: ["RESTume"],
    responses: { 200: json(UserProfile, "The profile") }
  });
  api.openapi(profile, async (c) => {
    const user = await findActiveUser(runtime6, accountUserId(principalOf(c)));
    if (!user) throw new AppError("UNAUTHENTICATED");
    return c.json(userProfile(user), 200);
  });
}

// src/rest/restume-recovery.ts
import { z as z15 } from "@hono/zod-openapi";
var EmailBody = z15.object({ email: z15.string().openapi({ example: "you@example.com" }) }).openapi("EmailBody");
var Accepted = z15.object({ detail: z15.string() }).openapi("Accepted", { description: "The same answer whether or not the address has an account" });
function restumeRecoveryRoutes(api, runtime6, table) {
  const verify = restRoute(runtime6, table, "public", {
    method: "post",
    path: "/v1/auth/verify-email",
    summary: "Verify email with a six-digit code",
    tags: ["RESTume"],
    request: jsonBody(
      z15.object({ email: z15.string(), code: z15.string().openapi({ example: "123456" }) }).openapi("VerifyEmailBody")
    ),
    responses: { 200: json(z15.object({ email_verified: z15.literal(true) }).openapi("EmailVerified"), "The address is verified") }
  });
  api.openapi(verify, async (c) => {
    await verifyEmail(runtime6, c.req.valid("json"));
    return c.json({ email_verified: true }, 200);
  });
  const resend = restRoute(runtime6, table, "public", {
    method: "post",
    path: "/v1/auth/resend-verification",
    summary: "Request a fresh verification code",
    tags: ["RESTume"],
    request: jsonBody(EmailBody),
    responses: { 202: json(Accepted, "Accepted") }
  });
  api.openapi(resend, (c) => {
    resendVerification(runtime6, c.req.valid("json").email);
    return c.json({ detail: "If that address has an unverified account, a new code is on its way." }, 202);
  });
  const google = restRoute(runtime6, table, "public", {
    method: "post",
    path: "/v1/auth/google",
    summary: "Sign in or sign up with a Google credential (an ID token)",
    tags: ["RESTume"],
    request: jsonBody(
      z15.object({ credential: z15.string().openapi({ description: "A Google ID token" }), remember_me: z15.boolean().default(false) }).openapi("GoogleBody")
    ),
    responses: { 200: json(BearerToken, "A JWT bearer token") }
  });
  api.openapi(google, async (c) => {
    const body = c.req.valid("json");
    const tokens = await signInWithGoogle(runtime6, body.credential, { clientType: "API", rememberMe: body.remember_me }, clientOf(c));
    c.header("Cache-Control", "no-store");
    return c.json({ access_token: tokens.accessToken, token_type: "bearer" }, 200);
  });
  const forgot = restRoute(runtime6, table, "public", {
    method: "post",
    path: "/v1/auth/forgot-password",
    summary: "Start password recovery without leaking account existence",
    tags: ["RESTume"],
    request: jsonBody(EmailBody),
    responses: { 202: json(Accepted, "Accepted") }
  });
  api.openapi(forgot, (c) => {
    forgotPassword(runtime6, c.req.valid("json").email);
    return c.json({ detail: "If that address has an account, a recovery e-mail is on its way." }, 202);
  });
  const reset = restRoute(runtime6, table, "public", {
    method: "post",
    path: "/v1/auth/reset-password",
    summary: "Reset a password with a verified recovery token; every session of the account ends",
    tags: ["RESTume"],
    request: jsonBody(z15.object({ token: z15.string(), new_password: z15.string() }).openapi("ResetPasswordBody")),
    responses: { 200: json(z15.object({ password_reset: z15.literal(true) }).openapi("PasswordReset"), "The password is changed") }
  });
  api.openapi(reset, async (c) => {
    const body = c.req.valid("json");
    await resetPassword(runtime6, { token: body.token, newPassword: body.new_password });
    return c.json({ password_reset: true }, 200);
  });
  const unlink = restRoute(runtime6, table, "session", {
    method: "post",
    path: "/v1/me/google/unlink",
    summary: "Unlink Google when password sign-in is already available",
    tags: ["RESTume"],
    responses: { 200: json(AccountStatus, "The account after unlinking") }
  });
  api.openapi(unlink, async (c) => {
    return c.json(accountStatus(await unlinkGoogle(runtime6, accountUserId(principalOf(c)))), 200);
  });
}

// src/rest/index.ts
function allows(auth, principal, hasBasic) {
  if (auth === "basic") return hasBasic;
  return principalAllowed(auth, principal ?? { kind: "anonymous" });
}
function optionsFor(runtime6, table) {
  const patterns = [...new Set(table.map((route) => route.path))].map((path3) => ({
    path: path3,
    regex: new RegExp(`^${path3.replace(/\{[^}]+\}/g, "[^/]+")}/?$`)
  }));
  return async (request, pathname) => {
    const matched = patterns.filter((pattern) => pattern.regex.test(pathname)).map((pattern) => pattern.path);
    if (matched.length === 0) return null;
    const principal = await resolveCredentials(runtime6, request.headers).then((credentials) => credentials.principal).catch(() => null);
    const hasBasic = readBasicCredentials(request.headers) !== null;
    const verbs = table.filter((route) => matched.includes(route.path) && allows(route.auth, principal, hasBasic)).map((route) => route.method);
    const allow = [.../* @__PURE__ */ new Set([...verbs, "OPTIONS"])];
    return new Response(JSON.stringify({ path: pathname, allow }), {
      status: 200,
      headers: { Allow: allow.join(", "), "Content-Type": "application/json" }
    });
  };
}
var swaggerDir = () => createRequire(import.meta.url)("swagger-ui-dist").getAbsoluteFSPath();
var docsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>authgraph REST API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="docs"></div><script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`;
function mountRest(http, runtime6) {
  const table = [];
  const api = createRestApi(runtime6);
  novemRoutes(api, runtime6, table);
  novemTokenRoutes(api, runtime6, table);
  novavmsRoutes(api, runtime6, table);
  restumeRoutes(api, runtime6, table);
  restumeRecoveryRoutes(api, runtime6, table);
  restumeKeyRoutes(api, runtime6, table);
  api.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "authgraph REST API",
      version: "1",
      description: 'The /v1 paths of novem, NovaVMS and RESTume, answered by authgraph. Errors are `{ "detail", "code" }`; 422 is FastAPI\'s `{ "detail": [{ loc, msg, type }] }`.'
    }
  });
  const options = optionsFor(runtime6, table);
  http.use("*", async (c, next) => {
    if (c.req.method !== "OPTIONS") return next();
    return await options(c.req.raw, c.req.path) ?? next();
  });
  http.get("/docs", (c) => c.html(docsPage));
  http.get("/docs/init.js", (c) => {
    c.header("Content-Type", "text/javascript");
    return c.body("window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs' });");
  });
  for (const asset of ["swagger-ui.css", "swagger-ui-bundle.js"]) {
    http.get(`/docs/${asset}`, (c) => {
      c.header("Content-Type", asset.endsWith(".css") ? "text/css" : "text/javascript");
      c.header("Cache-Control", "public, max-age=86400");
      return c.body(readFileSync2(join2(swaggerDir(), asset)));
    });
  }
  http.route("/", api);
  return table;
}

// src/http/console.ts
import { readFileSync as readFileSync3 } from "node:fs";

// src/paths.ts
var projectRoot = new URL("../", import.meta.url);

// src/http/console.ts
var consoleDirectory = new URL("src/console/", projectRoot);
var assetTypes = {
  "app.js": "text/javascript; charset=utf-8",
  "api.js": "text/javascript; charset=utf-8",
  "dom.js": "text/javascript; charset=utf-8",
  "views.js": "text/javascript; charset=utf-8",
  "admin.js": "text/javascript; charset=utf-8",
  "console.css": "text/css; charset=utf-8"
};
var googleIdentityServices = "https://accounts.google.com/gsi/";
function consolePolicy(googleSignIn) {
  const google = googleSignIn ? ` ${googleIdentityServices}` : "";
  return [
    "default-src 'none'",
    `script-src 'self'${googleSignIn ? ` ${googleIdentityServices}client` : ""}`,
    `style-src 'self'${google}`,
    "img-src 'self' data:",
    `connect-src 'self'${google}`,
    `frame-src${googleSignIn ? google : " 'none'"}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    // Forms are sent by script; if it ever fails, a password must not end up in a URL.
    "form-action 'none'"
  ].join("; ");
}
var escapeAttribute = (value) => value.replace(/[&"<>]/g, (character) => `&#${character.charCodeAt(0)};`);
function mountConsole(http, config4) {
  const googleClientId = config4.oidc.clientId;
  const policy2 = consolePolicy(Boolean(googleClientId));
  const read = (name) => readFileSync3(new URL(name, consoleDirectory), "utf8");
  const shell = read("index.html").replace(
    '<meta name="google-client-id" content="">',
    `<meta name="google-client-id" content="${escapeAttribute(googleClientId ?? "")}">`
  );
  const page2 = (c) => {
    c.header("Content-Security-Policy", policy2);
    c.header("Cache-Control", "no-cache");
    return c.html(shell);
  };
  http.get("/console", page2);
  http.get("/admin/service-accounts", page2);
  const assets = new Map(Object.entries(assetTypes).map(([name, type]) => [name, { type, body: read(name) }]));
  http.get("/console/assets/:name", (c) => {
    const asset = assets.get(c.req.param("name"));
    if (!asset) return c.notFound();
    c.header("Content-Type", asset.type);
    c.header("Content-Security-Policy", policy2);
    c.header("Cache-Control", "no-cache");
    return c.body(asset.body);
  });
  http.get("/console/*", page2);
}

// src/http/challenge-page.ts
var policy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
var escapeHtml2 = (value) => value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
function page(runtime6, title, body) {
  const product = escapeHtml2(runtime6.config.mail.productName);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml2(title)} \xB7 ${product}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:30rem;margin:4rem auto;padding:0 1rem}button,input{font:inherit;padding:.4rem .8rem}label{display:block;margin:.8rem 0 .3rem}</style>
</head><body><main><h1>${escapeHtml2(title)}</h1>${body}</main></body></html>`;
}
function resetForm(uid, token, problem) {
  return `${problem ? `<p role="alert">${escapeHtml2(problem)}</p>` : ""}
<form method="post" action="/challenge/${encodeURIComponent(uid)}/reset">
<input type="hidden" name="token" value="${escapeHtml2(token)}">
<label for="password">New password (8 to 128 characters)</label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="8" maxlength="128">
<p><button type="submit">Set password</button></p></form>`;
}
function mountChallengePage(http, runtime6) {
  const html = (c, title, body, status = 200) => {
    c.header("Content-Security-Policy", policy);
    c.header("Cache-Control", "no-store");
    return c.html(page(runtime6, title, body), status);
  };
  http.get(
    "/challenge/:uid",
    (c) => html(c, "Confirm it is you", `<form method="post"><p>Press the button to confirm this request.</p><button type="submit">Confirm</button></form>`)
  );
  http.post("/challenge/:uid", async (c) => {
    try {
      const result = await answerByUid(runtime6, { uid: c.req.param("uid") });
      if (result.purpose === "VERIFY_EMAIL") return html(c, "Address verified", "<p>Your e-mail address is verified. You can close this page.</p>");
      return html(c, "Choose a new password", resetForm(c.req.param("uid"), result.resetToken ?? ""));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return html(c, "This link no longer works", `<p>${escapeHtml2(error.message)} Ask for a new e-mail.</p>`, 422);
    }
  });
  http.post("/challenge/:uid/reset", async (c) => {
    const form = await c.req.parseBody();
    const token = String(form.token ?? "");
    try {
      await resetPassword(runtime6, { token, newPassword: String(form.password ?? "") });
      return html(c, "Password changed", "<p>Your password is changed and every session of the account has ended. Sign in again.</p>");
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return html(c, "Choose a new password", resetForm(c.req.param("uid"), token, error.message), 422);
    }
  });
}

// src/app.ts
import { HTTPException as HTTPException3 } from "hono/http-exception";

// src/http/security.ts
import { createHash as createHash2 } from "node:crypto";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import { timeout } from "hono/timeout";
import { HTTPException as HTTPException2 } from "hono/http-exception";
var apiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
function securityHeaders() {
  return secureHeaders({
    contentSecurityPolicy: void 0,
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: "max-age=31536000; includeSubDomains",
    referrerPolicy: "no-referrer",
    xFrameOptions: "DENY"
  });
}
function defaultContentSecurityPolicy() {
  return async (c, next) => {
    await next();
    if (!c.res.headers.has("Content-Security-Policy")) c.res.headers.set("Content-Security-Policy", apiPolicy);
  };
}
function inlinePagePolicy(html) {
  const hashes = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    ([, body]) => `'sha256-${createHash2("sha256").update(body ?? "").digest("base64")}'`
  );
  return [
    "default-src 'none'",
    `script-src ${hashes.join(" ")}`,
    "style-src 'unsafe-inline'",
    "img-src data:",
    "font-src data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'"
  ].join("; ");
}
function requireJsonPosts() {
  return async (c, next) => {
    if (c.req.method === "POST") {
      const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
      if (type !== "application/json" && type !== "application/graphql-response+json") {
        return c.json({ errors: [{ message: "GraphQL requests must be application/json.", extensions: { code: "BAD_REQUEST" } }] }, 415);
      }
    }
    await next();
  };
}
function requestTimeout(ms) {
  return timeout(ms, () => new HTTPException2(503, { message: "The request took too long." }));
}
function hasDeclaredLength(c) {
  return c.req.header("content-length") !== void 0 && c.req.header("transfer-encoding") === void 0;
}
function bodySizeLimit(maxSize, onError) {
  const readingLimit = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    if (!hasDeclaredLength(c)) return readingLimit(c, next);
    if (Number(c.req.header("content-length")) > maxSize) return onError(c);
    return next();
  };
}

// src/schema/protections.ts
import { EnvelopArmor } from "@escape.tech/graphql-armor";
import { useDisableIntrospection } from "@graphql-yoga/plugin-disable-introspection";
function graphqlProtections(config4) {
  const { introspection, maxDepth, maxAliases, maxCost, maxTokens, maxDirectives } = config4.graphql;
  const armor = new EnvelopArmor({
    maxDepth: { n: maxDepth, ignoreIntrospection: false, flattenFragments: true },
    maxAliases: { n: maxAliases },
    costLimit: { maxCost },
    maxTokens: { n: maxTokens },
    maxDirectives: { n: maxDirectives },
    blockFieldSuggestion: { enabled: !introspection }
  });
  const { plugins } = armor.protect();
  return introspection ? plugins : [...plugins, useDisableIntrospection()];
}

// src/schema/nul-guard.ts
function useNulGuard() {
  return {
    onParams({ params }) {
      if (containsNulCharacter(params.query) || containsNulCharacter(params.variables)) throw nulCharacterRefused();
    }
  };
}

// src/http/graphql-observer.ts
import { getOperationAST as getOperationAST2 } from "graphql";

// src/http/request-scope.ts
import { AsyncLocalStorage } from "node:async_hooks";
var requestScope = new AsyncLocalStorage();
function requestLogFields() {
  const scope = requestScope.getStore();
  return scope ? { reqId: scope.requestId } : {};
}

// src/http/graphql-observer.ts
function operationMetric(document, operationName) {
  const operation = getOperationAST2(document, operationName);
  const [first] = operation?.selectionSet.selections ?? [];
  if (!operation || !first) return void 0;
  return `${operation.operation} ${first.kind === "Field" ? first.name.value : "..."}`;
}
function errorsOf(result) {
  if (!result || typeof result !== "object" || Symbol.asyncIterator in result) return void 0;
  if (Array.isArray(result)) return result.flatMap((item) => item.errors ?? []);
  return result.errors;
}
function useRequestObserver() {
  return {
    onExecute({ args }) {
      const scope = requestScope.getStore();
      if (!scope) return;
      scope.operation = operationLabel(args.document, args.operationName);
      scope.operationMetric = operationMetric(args.document, args.operationName);
    },
    onResultProcess({ result }) {
      for (const error of errorsOf(result) ?? []) {
        const code = error.extensions?.code;
        failures.inc({ api: "graphql", code: typeof code === "string" ? code : "INTERNAL" });
      }
    }
  };
}

// src/db.ts
function parseDatabaseUrl(databaseUrl) {
  if (databaseUrl.startsWith("file:")) return { provider: "sqlite", file: databaseUrl.slice("file:".length) };
  const url2 = new URL(databaseUrl);
  const schema2 = url2.searchParams.get("schema") ?? void 0;
  url2.searchParams.delete("schema");
  return { provider: "postgresql", connectionString: url2.toString(), schema: schema2 };
}
async function openDatabase(target, poolSize = 10) {
  if (target.provider === "sqlite") {
    const [{ PrismaClient: PrismaClient4 }, { PrismaBetterSQLite3 }] = await Promise.all([
      Promise.resolve().then(() => (init_client(), client_exports)),
      import("@prisma/adapter-better-sqlite3")
    ]);
    return new PrismaClient4({ adapter: new PrismaBetterSQLite3({ url: target.file, timeout: 1e4 }) });
  }
  const [{ PrismaClient: PrismaClient3 }, { PrismaPg }] = await Promise.all([
    Promise.resolve().then(() => (init_client2(), client_exports2)),
    import("@prisma/adapter-pg")
  ]);
  const adapter = new PrismaPg(
    { connectionString: target.connectionString, max: poolSize },
    target.schema ? { schema: target.schema } : void 0
  );
  return new PrismaClient3({ adapter });
}

// src/migrate.ts
import { createHash as createHash3 } from "node:crypto";
import { mkdirSync as mkdirSync2, readdirSync, readFileSync as readFileSync4 } from "node:fs";
import { dirname as dirname3 } from "node:path";
import { fileURLToPath as fileURLToPath3 } from "node:url";
var migrationsTable = "_authgraph_migrations";
var createTable = `CREATE TABLE IF NOT EXISTS "${migrationsTable}" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TEXT NOT NULL)`;
function readMigrations(provider) {
  const dir = fileURLToPath3(new URL(`prisma/migrations/${provider}/`, projectRoot));
  return readdirSync(dir).filter((file) => file.endsWith(".sql")).sort().map((file) => {
    const sql3 = readFileSync4(dir + file, "utf8");
    return { name: file.replace(/\.sql$/, ""), sql: sql3, checksum: createHash3("sha256").update(sql3).digest("hex") };
  });
}
var MigrationChecksumError = class extends Error {
  constructor(name) {
    super(`migration ${name} was changed after it was applied`);
  }
};
function pending(migrations, applied) {
  for (const migration of migrations) {
    const checksum = applied.get(migration.name);
    if (checksum !== void 0 && checksum !== migration.checksum) throw new MigrationChecksumError(migration.name);
  }
  return migrations.filter((migration) => !applied.has(migration.name));
}
async function migrate(target) {
  const migrations = readMigrations(target.provider);
  return target.provider === "sqlite" ? migrateSqlite(target.file, migrations) : migratePostgres(target, migrations);
}
async function migrateSqlite(file, migrations) {
  const { default: SQLite } = await import("better-sqlite3");
  mkdirSync2(dirname3(file), { recursive: true });
  const db = new SQLite(file, { timeout: 1e4 });
  try {
    db.pragma("journal_mode = WAL");
    db.exec(createTable);
    const appliedNow = [];
    const applyAll = db.transaction(() => {
      const rows = db.prepare(`SELECT "name", "checksum" FROM "${migrationsTable}"`).all();
      for (const migration of pending(migrations, new Map(rows.map((row) => [row.name, row.checksum])))) {
        db.exec(migration.sql);
        db.prepare(`INSERT INTO "${migrationsTable}" VALUES (?, ?, ?)`).run(migration.name, migration.checksum, (/* @__PURE__ */ new Date()).toISOString());
        appliedNow.push(migration.name);
      }
    });
    applyAll.immediate();
    return appliedNow;
  } finally {
    db.close();
  }
}
async function migratePostgres(target, migrations) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  const schema2 = target.schema ?? "public";
  const lockKey = Number.parseInt(createHash3("sha256").update(`authgraph:${schema2}`).digest("hex").slice(0, 12), 16);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [lockKey]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema2.replaceAll('"', '""')}"`);
    await client.query(`SET search_path TO "${schema2.replaceAll('"', '""')}"`);
    await client.query(createTable);
    const { rows } = await client.query(`SELECT "name", "checksum" FROM "${migrationsTable}"`);
    const appliedNow = [];
    for (const migration of pending(migrations, new Map(rows.map((row) => [row.name, row.checksum])))) {
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(`INSERT INTO "${migrationsTable}" VALUES ($1, $2, $3)`, [
          migration.name,
          migration.checksum,
          (/* @__PURE__ */ new Date()).toISOString()
        ]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
      appliedNow.push(migration.name);
    }
    return appliedNow;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [lockKey]).catch(() => void 0);
    await client.end();
  }
}

// src/http/health.ts
var checkTimeoutMs = 2e3;
function withTimeout(promise, ms) {
  let timer;
  const timeout2 = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error("timed out")), ms);
  });
  return Promise.race([promise, timeout2]).finally(() => clearTimeout(timer));
}
var liveness = (c) => c.json({ status: "ok" });
function readiness(runtime6) {
  const target = parseDatabaseUrl(runtime6.config.databaseUrl);
  const expected = readMigrations(target.provider).map((migration) => migration.name);
  const schema2 = target.provider === "postgresql" && target.schema ? `"${target.schema.replaceAll('"', '""')}".` : "";
  const query = `SELECT "name" FROM ${schema2}"${migrationsTable}"`;
  return async (c) => {
    let applied;
    try {
      const rows = await withTimeout(runtime6.db.$queryRawUnsafe(query), checkTimeoutMs);
      applied = new Set(rows.map((row) => row.name));
    } catch (error) {
      const { name, code } = error;
      runtime6.logger.warn({ err: { type: name, code } }, "readiness: database check failed");
      return c.json({ status: "unavailable", database: "unreachable" }, 503);
    }
    const pending2 = expected.filter((name) => !applied.has(name));
    if (pending2.length > 0) return c.json({ status: "unavailable", database: "ok", pendingMigrations: pending2 }, 503);
    return c.json({ status: "ready", database: "ok", migrations: expected.length });
  };
}

// src/http/metrics.ts
function metricsEndpoint(runtime6) {
  const { metricsToken } = runtime6.config;
  return async (c) => {
    if (metricsToken && !constantTimeEqual(c.req.header("authorization") ?? "", `Bearer ${metricsToken}`)) {
      c.header("WWW-Authenticate", "Bearer");
      return c.json({ detail: "Metrics need the METRICS_TOKEN as a bearer token.", code: "UNAUTHENTICATED" }, 401);
    }
    activeSessions.set(await runtime6.db.session.count({ where: { revokedAt: null, expiresAt: { gt: runtime6.clock() } } }));
    c.header("Content-Type", metricsRegistry.contentType);
    c.header("Cache-Control", "no-store");
    return c.body(await metricsRegistry.metrics());
  };
}

// src/http/request-log.ts
import { randomUUID as randomUUID2 } from "node:crypto";
import { matchedRoutes } from "hono/route";
var requestIdPattern = /^[\w.:-]{1,128}$/;
var quietPaths = /* @__PURE__ */ new Set(["/healthz", "/readyz", "/metrics"]);
function routeOf(c) {
  const handlers = matchedRoutes(c).filter((route) => route.method !== "ALL");
  return handlers.at(-1)?.path ?? (c.res.status === 404 ? "unmatched" : "*");
}
async function restErrorCode(response) {
  if (!response.headers.get("content-type")?.includes("json")) return `HTTP_${response.status}`;
  const body = await response.clone().json().catch(() => null);
  const code = body?.code;
  return typeof code === "string" ? code : `HTTP_${response.status}`;
}
function requestLog(logger) {
  return async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const scope = { requestId: incoming && requestIdPattern.test(incoming) ? incoming : randomUUID2() };
    const started = performance.now();
    await requestScope.run(scope, next);
    const seconds2 = (performance.now() - started) / 1e3;
    c.res.headers.set("X-Request-Id", scope.requestId);
    const { method, path: path3 } = c.req;
    const { status } = c.res;
    const route = routeOf(c);
    const operation = scope.operationMetric ?? "";
    httpRequests.inc({ method, route, operation, status: String(status) });
    httpRequestDuration.observe({ method, route, operation }, seconds2);
    if (status >= 400 && path3 !== "/graphql") failures.inc({ api: "rest", code: await restErrorCode(c.res) });
    const level = status >= 500 ? "error" : quietPaths.has(path3) ? "debug" : "info";
    logger[level](
      { reqId: scope.requestId, method, path: path3, operation: scope.operation, status, durationMs: Math.round(seconds2 * 1e4) / 10 },
      "request"
    );
  };
}

// src/http/yoga-bridge.ts
function requestForYoga(c, fetchAPI) {
  const incoming = c.env?.incoming;
  const { method } = c.req;
  const hasBody = method !== "GET" && method !== "HEAD";
  if (!incoming || hasBody && !hasDeclaredLength(c)) return c.req.raw;
  return new fetchAPI.Request(c.req.url, {
    method,
    headers: incoming.headers,
    body: hasBody ? incoming : void 0
  });
}
async function responseFromYoga(answer) {
  return new Response(await answer.text(), { status: answer.status, headers: new Headers(answer.headers) });
}

// src/app.ts
function createApp(runtime6) {
  let graphiqlPage;
  const renderGraphiQL = async (options) => {
    if (!graphiqlPage) {
      const { renderGraphiQL: render } = await import("@graphql-yoga/render-graphiql");
      const html = render(options);
      graphiqlPage = { html, policy: inlinePagePolicy(html) };
    }
    return graphiqlPage.html;
  };
  const yoga = createYoga({
    schema,
    graphqlEndpoint: "/graphql",
    graphiql: runtime6.config.graphiql ? graphiqlOptions : false,
    renderGraphiQL,
    landingPage: false,
    batching: false,
    // The app's body limit (below) covers /graphql.
    maxRequestBodySize: false,
    logging: false,
    maskedErrors: { maskError: maskError(runtime6.logger) },
    plugins: [useNulGuard(), ...graphqlProtections(runtime6.config), useKeyUseLog(), useRequestObserver()],
    context: async ({ request, ip, responseCookies }) => {
      const client = clientInfo(request, ip);
      return { runtime: runtime6, request, responseCookies, client, credentials: await resolveCredentials(runtime6, request.headers, client) };
    }
  });
  const http = new Hono();
  http.use("*", requestLog(runtime6.logger));
  http.use("*", securityHeaders(), defaultContentSecurityPolicy(), requestTimeout(runtime6.config.requestTimeoutMs));
  http.use(
    "*",
    bodySizeLimit(64 * 1024, (c) => c.json({ detail: "The request body is too large.", code: "PAYLOAD_TOO_LARGE" }, 413))
  );
  http.get("/healthz", liveness);
  http.get("/readyz", readiness(runtime6));
  http.get("/metrics", metricsEndpoint(runtime6));
  http.get("/.well-known/jwks.json", (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.json(runtime6.signingKeys.jwks);
  });
  http.on(["GET", "POST", "OPTIONS"], "/graphql", requireJsonPosts(), async (c) => {
    const responseCookies = [];
    const response = await responseFromYoga(await yoga.fetch(requestForYoga(c, yoga.fetchAPI), { ip: c.env?.ip, responseCookies }));
    for (const cookie of responseCookies) response.headers.append("Set-Cookie", cookie);
    if (c.req.method === "POST") response.headers.set("Cache-Control", "no-store");
    if (graphiqlPage && response.headers.get("content-type")?.startsWith("text/html")) {
      response.headers.set("Content-Security-Policy", graphiqlPage.policy);
    }
    return response;
  });
  mountConsole(http, runtime6.config);
  const restRoutes = mountRest(http, runtime6);
  mountChallengePage(http, runtime6);
  http.notFound((c) => c.json({ detail: errorCodes.NOT_FOUND.message, code: "NOT_FOUND" }, 404));
  http.onError((error, c) => {
    if (error instanceof HTTPException3) return c.json({ detail: error.message, code: "TIMEOUT" }, error.status);
    const { name, code } = error;
    runtime6.logger.error({ err: { type: name, code }, path: c.req.path }, "unexpected error");
    return c.json({ detail: errorCodes.INTERNAL.message, code: "INTERNAL" }, 500);
  });
  return { fetch: (request, server2) => Promise.resolve(http.fetch(request, server2 ?? {})), restRoutes };
}

// src/config.ts
import { resolve } from "node:path";
import { z as z16 } from "zod";
var seconds = (fallback) => z16.coerce.number().int().nonnegative().default(fallback);
var flag = (fallback) => z16.enum(["true", "false", "1", "0"]).default(fallback ? "true" : "false").transform((value) => value === "true" || value === "1");
var environmentSchema = z16.object({
  NODE_ENV: z16.enum(["development", "production", "test"]).default("development"),
  PORT: z16.coerce.number().int().min(0).max(65535).default(4e3),
  HOST: z16.string().default("0.0.0.0"),
  DATA_DIR: z16.string().default("./data"),
  DATABASE_URL: z16.string().regex(/^(postgres(ql)?:\/\/|file:)/, "must be a postgres:// URL or a file: path").optional(),
  PUBLIC_URL: z16.string().url().optional(),
  JWT_ISSUER: z16.string().optional(),
  JWT_AUDIENCE: z16.string().default("authgraph"),
  JWT_PRIVATE_JWK: z16.string().optional(),
  SERVER_SECRET: z16.string().min(32, "must be at least 32 characters").optional(),
  ACCESS_TOKEN_TTL: seconds(3600),
  REFRESH_TOKEN_TTL: seconds(7 * 24 * 3600),
  REFRESH_TOKEN_REMEMBER_TTL: seconds(30 * 24 * 3600),
  REFRESH_REUSE_GRACE: seconds(10),
  SESSION_MAX_AGE: seconds(90 * 24 * 3600),
  USER_AGENT_BINDING: z16.enum(["exact", "family"]).default("exact"),
  LOG_LEVEL: z16.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  GRAPHIQL: z16.enum(["true", "false", "1", "0"]).optional(),
  GRAPHQL_INTROSPECTION: z16.enum(["true", "false", "1", "0"]).optional(),
  GRAPHQL_MAX_DEPTH: z16.coerce.number().int().positive().default(10),
  GRAPHQL_MAX_ALIASES: z16.coerce.number().int().nonnegative().default(10),
  GRAPHQL_MAX_COST: z16.coerce.number().int().positive().default(5e3),
  GRAPHQL_MAX_TOKENS: z16.coerce.number().int().positive().default(1e3),
  GRAPHQL_MAX_DIRECTIVES: z16.coerce.number().int().nonnegative().default(10),
  REQUEST_TIMEOUT: z16.coerce.number().int().positive().default(15),
  REDIS_KEY_PREFIX: z16.string().default("authgraph"),
  RATE_LIMIT_LOGIN_WINDOW: z16.coerce.number().int().positive().default(3600),
  RATE_LIMIT_LOGIN_FREE_FAILURES: z16.coerce.number().int().nonnegative().default(5),
  RATE_LIMIT_LOGIN_ACCOUNT_PER_HOUR: z16.coerce.number().int().positive().default(100),
  RATE_LIMIT_LOGIN_IP_PER_HOUR: z16.coerce.number().int().positive().default(1e3),
  RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: z16.coerce.number().int().positive().default(20),
  RATE_LIMIT_REFRESH_PER_SESSION_PER_MINUTE: z16.coerce.number().int().positive().default(30),
  API_KEY_RPM_FREE: z16.coerce.number().int().positive().default(60),
  API_KEY_RPM_PRO: z16.coerce.number().int().positive().default(600),
  REDIS_URL: z16.string().regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL").optional(),
  SMTP_URL: z16.string().regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL").optional(),
  MAIL_FROM: z16.string().optional(),
  MAIL_PRODUCT_NAME: z16.string().default("authgraph"),
  CHALLENGE_TTL: z16.coerce.number().int().positive().default(15 * 60),
  RESEND_INTERVAL: seconds(60),
  REQUIRE_VERIFIED_EMAIL: flag(true),
  API_KEY_PREFIX: z16.string().regex(/^[a-z][a-z0-9]{0,15}$/, "must be 1 to 16 lower-case letters or digits, starting with a letter").default("sk"),
  MAX_API_KEYS_PER_USER: z16.coerce.number().int().positive().default(25),
  API_KEY_CACHE_TTL: seconds(30),
  OIDC_ISSUER: z16.string().url().default("https://accounts.google.com"),
  OIDC_CLIENT_ID: z16.string().optional(),
  OIDC_JWKS_COOLDOWN: seconds(30),
  SHUTDOWN_TIMEOUT: seconds(10),
  METRICS_TOKEN: z16.string().min(16, "must be at least 16 characters").optional()
});
var ConfigError = class extends Error {
};
var isOn = (value, fallback) => value === void 0 ? fallback : value === "true" || value === "1";
function loadConfig(environment = process.env) {
  const parsed = environmentSchema.safeParse(
    Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== void 0 && value !== ""))
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:
  ${problems.join("\n  ")}`);
  }
  const settings = parsed.data;
  const dataDir = resolve(settings.DATA_DIR);
  const introspection = isOn(settings.GRAPHQL_INTROSPECTION, settings.NODE_ENV !== "production");
  const databaseUrl = settings.DATABASE_URL ?? `file:${resolve(dataDir, "authgraph.db")}`;
  const publicUrl = (settings.PUBLIC_URL ?? `http://localhost:${settings.PORT}`).replace(/\/$/, "");
  return {
    env: settings.NODE_ENV,
    port: settings.PORT,
    host: settings.HOST,
    dataDir,
    databaseUrl,
    databaseProvider: databaseUrl.startsWith("file:") ? "sqlite" : "postgresql",
    publicUrl,
    jwt: {
      issuer: settings.JWT_ISSUER ?? publicUrl,
      audience: settings.JWT_AUDIENCE,
      privateJwk: settings.JWT_PRIVATE_JWK,
      accessTokenTtl: settings.ACCESS_TOKEN_TTL
    },
    serverSecret: settings.SERVER_SECRET,
    refresh: {
      ttl: settings.REFRESH_TOKEN_TTL,
      rememberTtl: settings.REFRESH_TOKEN_REMEMBER_TTL,
      reuseGrace: settings.REFRESH_REUSE_GRACE,
      sessionMaxAge: settings.SESSION_MAX_AGE,
      userAgentBinding: settings.USER_AGENT_BINDING
    },
    secureCookies: publicUrl.startsWith("https://"),
    logLevel: settings.LOG_LEVEL,
    graphiql: isOn(settings.GRAPHIQL, introspection),
    graphql: {
      introspection,
      maxDepth: settings.GRAPHQL_MAX_DEPTH,
      maxAliases: settings.GRAPHQL_MAX_ALIASES,
      maxCost: settings.GRAPHQL_MAX_COST,
      maxTokens: settings.GRAPHQL_MAX_TOKENS,
      maxDirectives: settings.GRAPHQL_MAX_DIRECTIVES
    },
    requestTimeoutMs: settings.REQUEST_TIMEOUT * 1e3,
    redisUrl: settings.REDIS_URL,
    redisKeyPrefix: settings.REDIS_KEY_PREFIX,
    limits: {
      loginWindowSeconds: settings.RATE_LIMIT_LOGIN_WINDOW,
      loginFreeFailures: settings.RATE_LIMIT_LOGIN_FREE_FAILURES,
      loginFailuresPerAccountPerHour: settings.RATE_LIMIT_LOGIN_ACCOUNT_PER_HOUR,
      loginFailuresPerIpPerHour: settings.RATE_LIMIT_LOGIN_IP_PER_HOUR,
      registrationsPerIpPerHour: settings.RATE_LIMIT_REGISTER_PER_IP_PER_HOUR,
      refreshesPerSessionPerMinute: settings.RATE_LIMIT_REFRESH_PER_SESSION_PER_MINUTE,
      apiKeyRequestsPerMinute: { FREE: settings.API_KEY_RPM_FREE, PRO: settings.API_KEY_RPM_PRO }
    },
    mail: {
      smtpUrl: settings.SMTP_URL,
      from: settings.MAIL_FROM ?? `${settings.MAIL_PRODUCT_NAME} <no-reply@${new URL(publicUrl).hostname}>`,
      productName: settings.MAIL_PRODUCT_NAME
    },
    challenges: { ttl: settings.CHALLENGE_TTL, resendInterval: settings.RESEND_INTERVAL },
    requireVerifiedEmail: settings.REQUIRE_VERIFIED_EMAIL,
    apiKeys: { prefix: settings.API_KEY_PREFIX, maxPerUser: settings.MAX_API_KEYS_PER_USER, cacheTtl: settings.API_KEY_CACHE_TTL },
    oidc: { issuer: settings.OIDC_ISSUER, clientId: settings.OIDC_CLIENT_ID, jwksCooldownSeconds: settings.OIDC_JWKS_COOLDOWN },
    shutdownTimeout: settings.SHUTDOWN_TIMEOUT,
    metricsToken: settings.METRICS_TOKEN
  };
}

// src/http/listen.ts
import { createAdaptorServer } from "@hono/node-server";
async function listen(app, port, host = "0.0.0.0") {
  const server2 = createAdaptorServer({
    fetch: (request, env) => {
      const { incoming } = env;
      return app.fetch(request, { ip: incoming.socket.remoteAddress, incoming });
    }
  });
  await new Promise((resolve2, reject) => {
    server2.once("error", reject);
    server2.listen(port, host, resolve2);
  });
  const address = server2.address();
  const shownHost = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  return { server: server2, url: `http://${shownHost}:${address.port}` };
}

// src/http/shutdown.ts
function drainServer(server2, timeoutMs) {
  return new Promise((resolve2) => {
    const idleSweep = setInterval(() => server2.closeIdleConnections(), 100);
    const deadline = setTimeout(() => {
      clearInterval(idleSweep);
      server2.closeAllConnections();
      resolve2("timed out");
    }, timeoutMs);
    server2.close(() => {
      clearInterval(idleSweep);
      clearTimeout(deadline);
      resolve2("drained");
    });
    server2.closeIdleConnections();
  });
}

// src/apikeys/cache.ts
var defaultMaxEntries = 1e4;
var VerifiedKeyCache = class {
  constructor(ttlMs, maxEntries = defaultMaxEntries) {
    this.ttlMs = ttlMs;
    this.maxEntries = maxEntries;
  }
  ttlMs;
  maxEntries;
  entries = /* @__PURE__ */ new Map();
  get(secretHash, nowMs) {
    const hit = this.entries.get(secretHash);
    if (!hit) return void 0;
    this.entries.delete(secretHash);
    if (hit.cachedUntilMs <= nowMs) return void 0;
    this.entries.set(secretHash, hit);
    return hit.key;
  }
  set(secretHash, key, nowMs) {
    if (this.ttlMs <= 0) return;
    this.entries.delete(secretHash);
    this.entries.set(secretHash, { key, cachedUntilMs: nowMs + this.ttlMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value);
  }
  /**
   * Forgets every secret of a key. Revoke and roll call it on this instance.
   * Other instances keep a revoked key for at most the cache TTL, until a Redis
   * pub/sub subscriber (REDIS_URL, the scaling work) calls this for them too.
   */
  evictKey(keyId) {
    for (const [secretHash, { key }] of this.entries) if (key.keyId === keyId) this.entries.delete(secretHash);
  }
};

// src/background.ts
var BackgroundTasks = class {
  constructor(logger) {
    this.logger = logger;
  }
  logger;
  #running = /* @__PURE__ */ new Set();
  run(task, work) {
    const running = Promise.resolve().then(work).then(
      () => void 0,
      (error) => {
        const { name, code } = error;
        this.logger.error({ task, err: { type: name, code } }, "background task failed");
      }
    ).finally(() => this.#running.delete(running));
    this.#running.add(running);
  }
  /** Resolves once no task is running, including tasks started by tasks. */
  async idle() {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
};

// src/crypto/server-secret.ts
import { existsSync as existsSync2, mkdirSync as mkdirSync3, readFileSync as readFileSync5, writeFileSync as writeFileSync2 } from "node:fs";
import { join as join7 } from "node:path";
function loadServerSecret(dataDir, fromEnv) {
  if (fromEnv) return fromEnv;
  const file = join7(dataDir, "server-secret");
  if (existsSync2(file)) return readFileSync5(file, "utf8").trim();
  const secret = randomToken(32);
  mkdirSync3(dataDir, { recursive: true });
  writeFileSync2(file, secret, { mode: 384, flag: "wx" });
  return secret;
}

// src/logger.ts
import pino from "pino";
var secretFields = [
  "password",
  "newPassword",
  "currentPassword",
  "token",
  "accessToken",
  "refreshToken",
  "resetToken",
  "idToken",
  "rawKey",
  "apiKey",
  "secret",
  "otp",
  "authorization",
  "cookie",
  "query",
  "variables"
];
var codePaths = ["code", "input.code", "body.code", "challenge.code"];
function createLogger(level, destination) {
  return pino(
    {
      level,
      mixin: requestLogFields,
      redact: {
        paths: [
          ...secretFields.flatMap((field) => [field, `*.${field}`]),
          ...codePaths,
          'headers["x-api-key"]',
          'headers["set-cookie"]',
          "*.headers.authorization",
          "*.headers.cookie",
          '*.headers["x-api-key"]'
        ],
        censor: "[redacted]"
      }
    },
    destination
  );
}

// src/mail/mailer.ts
var defaultRetryDelaysMs = [2e3, 1e4, 6e4, 3e5];
var Mailer = class {
  constructor(transport, options) {
    this.transport = transport;
    this.options = options;
  }
  transport;
  options;
  #wakeSleepers = /* @__PURE__ */ new Set();
  #closing = false;
  send(mail) {
    this.options.background.run(`mail:${mail.kind}`, () => this.#deliver(mail));
  }
  /** Cuts every retry wait short for one last attempt, waits for the queue, then closes the transport. */
  async close() {
    this.#closing = true;
    for (const wake of [...this.#wakeSleepers]) wake();
    await this.options.background.idle();
    this.transport.close();
  }
  async #deliver({ kind, ...mail }) {
    const { logger } = this.options;
    const retryDelaysMs = this.options.retryDelaysMs ?? defaultRetryDelaysMs;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const receipt = await this.transport.deliver({ from: this.options.from, ...mail });
        if (receipt.outboxFile) logger.info({ kind, outboxFile: receipt.outboxFile }, "mail written to the outbox");
        else logger.info({ kind, messageId: receipt.messageId }, "mail sent");
        return;
      } catch (error) {
        const { name, code, responseCode, permanent } = error;
        const delay = retryDelaysMs[attempt - 1];
        const givingUp = delay === void 0 || permanent === true || this.#closing;
        logger.error({ kind, attempt, err: { type: name, code, responseCode } }, givingUp ? "mail not sent; giving up" : "mail not sent; will retry");
        if (givingUp) return;
        await this.#sleep(delay);
      }
    }
  }
  #sleep(ms) {
    return new Promise((resolve2) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wakeSleepers.delete(wake);
        resolve2();
      };
      const timer = setTimeout(wake, ms);
      this.#wakeSleepers.add(wake);
    });
  }
};

// src/mail/transport.ts
import { mkdir, writeFile } from "node:fs/promises";
import { join as join8 } from "node:path";
import nodemailer from "nodemailer";
function smtpTransport(smtpUrl) {
  const transporter = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 1e4, greetingTimeout: 1e4, socketTimeout: 3e4 });
  return {
    async deliver(message) {
      const info = await transporter.sendMail(message);
      return { messageId: info.messageId };
    },
    close: () => transporter.close()
  };
}
function outboxTransport(directory) {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    async deliver(message) {
      const info = await composer.sendMail(message);
      await mkdir(directory, { recursive: true, mode: 448 });
      const stamp = (/* @__PURE__ */ new Date()).toISOString().replace(/[:.]/g, "-");
      const outboxFile = join8(directory, `${stamp}-${randomToken(6)}.eml`);
      await writeFile(outboxFile, info.message, { mode: 384 });
      return { messageId: info.messageId, outboxFile };
    },
    close: () => composer.close()
  };
}
function createMailTransport(config4) {
  return config4.mail.smtpUrl ? smtpTransport(config4.mail.smtpUrl) : outboxTransport(join8(config4.dataDir, "outbox"));
}

// src/redis.ts
import { Redis } from "ioredis";
async function connectRedis(url2) {
  const redis = new Redis(url2, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false });
  await redis.connect();
  return redis;
}

// src/oidc/provider.ts
import { createRemoteJWKSet, customFetch, errors, jwtVerify as jwtVerify2 } from "jose";
import { z as z18 } from "zod";

// src/oidc/discovery.ts
import { z as z17 } from "zod";
var discoverySchema = z17.object({
  issuer: z17.string(),
  jwks_uri: z17.string().url(),
  id_token_signing_alg_values_supported: z17.array(z17.string()).default([])
});
var ProviderUnavailable = class extends Error {
  name = "ProviderUnavailable";
};
var discoveryUrl = (issuer) => `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
async function fetchDiscovery(issuer, fetchImpl) {
  let body;
  try {
    const response = await fetchImpl(discoveryUrl(issuer), {
      headers: { accept: "application/json" },
      redirect: "error",
      signal: AbortSignal.timeout(5e3)
    });
    if (response.status !== 200) throw new ProviderUnavailable(`discovery answered ${response.status}`);
    body = await response.json();
  } catch (error) {
    if (error instanceof ProviderUnavailable) throw error;
    throw new ProviderUnavailable("discovery fetch failed");
  }
  const parsed = discoverySchema.safeParse(body);
  if (!parsed.success) throw new ProviderUnavailable("discovery document is malformed");
  const document = parsed.data;
  if (document.issuer !== issuer) throw new ProviderUnavailable("discovery document names another issuer");
  const jwksUri = new URL(document.jwks_uri);
  if (new URL(issuer).protocol === "https:" && jwksUri.protocol !== "https:") {
    throw new ProviderUnavailable("jwks_uri is not https");
  }
  return { jwksUri, signingAlgorithms: document.id_token_signing_alg_values_supported };
}

// src/oidc/provider.ts
var verifiableAlgorithms = /* @__PURE__ */ new Set(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"]);
var discoveryMaxAgeMs = 60 * 60 * 1e3;
var maxTokenAgeSeconds = 60 * 60;
var clockToleranceSeconds = 30;
var maxCredentialLength = 16 * 1024;
var emailSchema2 = z18.string().email().max(254);
var invalidToken = () => new AppError("UNAUTHENTICATED", { message: "The ID token is invalid or expired." });
function acceptedIssuers(issuer) {
  return new URL(issuer).host === "accounts.google.com" ? [issuer, "accounts.google.com"] : [issuer];
}
function allowedAlgorithms(discovery) {
  return [.../* @__PURE__ */ new Set(["RS256", ...discovery.signingAlgorithms.filter((algorithm) => verifiableAlgorithms.has(algorithm))])];
}
function createOidcProvider(settings, options) {
  const { clientId, issuer } = settings;
  if (!clientId) return null;
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  let discovery;
  let keySet;
  function currentDiscovery(now) {
    if (!discovery || now - discovery.fetchedAt > discoveryMaxAgeMs) {
      const document = fetchDiscovery(issuer, fetchImpl);
      const entry = { document, fetchedAt: now };
      discovery = entry;
      document.catch(() => {
        if (discovery === entry) discovery = void 0;
      });
    }
    return discovery.document;
  }
  function keyResolver(jwksUri) {
    if (keySet?.uri !== jwksUri.href) {
      keySet = {
        uri: jwksUri.href,
        resolve: createRemoteJWKSet(jwksUri, { cooldownDuration: settings.jwksCooldownSeconds * 1e3, [customFetch]: fetchImpl })
      };
    }
    const { resolve: resolve2 } = keySet;
    return async (header, token) => {
      try {
        return await resolve2(header, token);
      } catch (error) {
        if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
        throw new ProviderUnavailable("the key set could not be fetched or read");
      }
    };
  }
  async function verifiedClaims(credential, now) {
    try {
      const document = await currentDiscovery(now.getTime());
      const { payload: payload2 } = await jwtVerify2(credential, keyResolver(document.jwksUri), {
        algorithms: allowedAlgorithms(document),
        issuer: acceptedIssuers(issuer),
        audience: clientId,
        currentDate: now,
        maxTokenAge: maxTokenAgeSeconds,
        clockTolerance: clockToleranceSeconds,
        requiredClaims: ["exp", "iat", "sub"]
      });
      return payload2;
    } catch (error) {
      if (error instanceof ProviderUnavailable) {
        options.logger.warn({ issuer, reason: error.message }, "OpenID provider unavailable");
        throw new AppError("UPSTREAM_UNAVAILABLE", { message: "The sign-in provider could not be reached; retry later." });
      }
      if (error instanceof errors.JOSEError) {
        options.logger.info({ reason: error.code }, "ID token refused");
        throw invalidToken();
      }
      throw error;
    }
  }
  return {
    async verifyIdToken(credential, now) {
      if (credential.length > maxCredentialLength) throw invalidToken();
      const claims = await verifiedClaims(credential, now);
      if (Array.isArray(claims.aud) && claims.aud.length > 1 && claims.azp !== clientId) throw invalidToken();
      if (typeof claims.sub !== "string" || claims.sub === "") throw invalidToken();
      const email = emailSchema2.safeParse(claims.email);
      if (!email.success || claims.email_verified !== true) {
        throw new AppError("FORBIDDEN", { message: "The sign-in provider has not verified an e-mail address for this account." });
      }
      return { subject: claims.sub, email: email.data, name: typeof claims.name === "string" ? claims.name : null };
    }
  };
}

// src/sessions/revoked-sessions.ts
var RevokedSessions = class {
  validUntil = /* @__PURE__ */ new Map();
  add(sessionId, untilMs) {
    this.validUntil.set(sessionId, untilMs);
  }
  has(sessionId, nowMs) {
    const until = this.validUntil.get(sessionId);
    if (until === void 0) return false;
    if (until <= nowMs) {
      this.validUntil.delete(sessionId);
      return false;
    }
    return true;
  }
};

// src/sessions/revocations.ts
var Revocations = class _Revocations {
  constructor(revokedSessions, apiKeyCache, channel) {
    this.revokedSessions = revokedSessions;
    this.apiKeyCache = apiKeyCache;
    this.channel = channel;
  }
  revokedSessions;
  apiKeyCache;
  channel;
  static async start(local, redis) {
    if (!redis) return new _Revocations(local.revokedSessions, local.apiKeyCache, void 0);
    const name = `${redis.keyPrefix}:revocations`;
    const subscriber = redis.client.duplicate();
    await subscriber.connect();
    await subscriber.subscribe(name);
    const revocations = new _Revocations(local.revokedSessions, local.apiKeyCache, { name, publisher: redis.client, subscriber });
    subscriber.on("message", (_channel, payload2) => {
      try {
        revocations.apply(JSON.parse(payload2));
      } catch {
        local.logger.warn({ event: "revocation-message-refused" }, "unreadable revocation message");
      }
    });
    return revocations;
  }
  /** Access tokens of this session are refused until `untilMs`, when the last of them expires anyway. */
  sessionRevoked(sessionId, untilMs) {
    this.applyAndPublish({ kind: "session", id: sessionId, untilMs });
  }
  /** The key was revoked or rolled: every instance verifies it again on its next use. */
  keyChanged(keyId) {
    this.applyAndPublish({ kind: "key", id: keyId });
  }
  async close() {
    await this.channel?.subscriber.quit();
  }
  applyAndPublish(message) {
    this.apply(message);
    void this.channel?.publisher.publish(this.channel.name, JSON.stringify(message)).catch(() => void 0);
  }
  apply(message) {
    if (message.kind === "session") this.revokedSessions.add(message.id, message.untilMs);
    else this.apiKeyCache.evictKey(message.id);
  }
};

// src/ttl-cache.ts
var TtlCache = class {
  constructor(maxEntries = 1e4) {
    this.maxEntries = maxEntries;
  }
  maxEntries;
  entries = /* @__PURE__ */ new Map();
  get(key, nowMs) {
    const entry = this.entries.get(key);
    if (!entry) return void 0;
    if (entry.expiresAtMs <= nowMs) {
      this.entries.delete(key);
      return void 0;
    }
    return entry.value;
  }
  set(key, value, expiresAtMs) {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== void 0) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expiresAtMs });
  }
};

// src/token-events/writer.ts
import { randomUUID as randomUUID3 } from "node:crypto";
var flushIntervalMs = 1e3;
var userAgentLimit = 256;
var TokenEventWriter = class {
  constructor(db, clock, logger) {
    this.db = db;
    this.clock = clock;
    this.logger = logger;
  }
  db;
  clock;
  logger;
  events = [];
  keysLastUsed = /* @__PURE__ */ new Map();
  timer;
  writing = Promise.resolve();
  record(event) {
    this.events.push({
      id: randomUUID3(),
      at: this.clock(),
      action: event.action,
      outcome: event.outcome,
      operation: event.operation ?? null,
      ip: event.client?.ip ?? null,
      userAgent: event.client?.userAgent?.slice(0, userAgentLimit) || null,
      userId: event.userId ?? null,
      serviceAccountId: event.serviceAccountId ?? null,
      sessionId: event.sessionId ?? null,
      apiKeyId: event.apiKeyId ?? null
    });
    this.schedule();
  }
  keyUsed(apiKeyId, at) {
    this.keysLastUsed.set(apiKeyId, at);
    this.schedule();
  }
  /** A use not yet written, so that lastUsedAt reads as fresh as the log is going to be. */
  pendingLastUse(apiKeyId) {
    return this.keysLastUsed.get(apiKeyId);
  }
  /** Writes everything recorded so far; resolves once it is committed. */
  flush() {
    clearTimeout(this.timer);
    this.timer = void 0;
    const events = this.events;
    const keysLastUsed = this.keysLastUsed;
    this.events = [];
    this.keysLastUsed = /* @__PURE__ */ new Map();
    this.writing = this.writing.then(() => this.write(events, keysLastUsed));
    return this.writing;
  }
  close() {
    return this.flush();
  }
  schedule() {
    this.timer ??= setTimeout(() => void this.flush(), flushIntervalMs).unref();
  }
  async write(events, keysLastUsed) {
    if (events.length === 0 && keysLastUsed.size === 0) return;
    try {
      await this.db.$transaction([
        ...events.length > 0 ? [this.db.tokenEvent.createMany({ data: events })] : [],
        ...[...keysLastUsed].map(
          ([id, at]) => this.db.apiKey.updateMany({ where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: at } }] }, data: { lastUsedAt: at } })
        )
      ]);
    } catch (error) {
      this.events = [...events, ...this.events];
      for (const [id, at] of keysLastUsed) if (!this.keysLastUsed.has(id)) this.keysLastUsed.set(id, at);
      this.schedule();
      this.logger.error({ err: { type: error.name }, pending: this.events.length }, "token events not written; will retry");
    }
  }
};

// src/runtime.ts
async function createRuntime(config4, overrides = {}) {
  const logger = overrides.logger ?? createLogger(config4.logLevel);
  const background = new BackgroundTasks(logger);
  const target = parseDatabaseUrl(config4.databaseUrl);
  const applied = await migrate(target);
  if (applied.length > 0) logger.info({ migrations: applied }, "database migrated");
  const clock = overrides.clock ?? (() => /* @__PURE__ */ new Date());
  const redis = config4.redisUrl ? await connectRedis(config4.redisUrl) : void 0;
  const [db, signingKeys] = await Promise.all([
    openDatabase(target),
    loadSigningKeys(config4.dataDir, config4.jwt.privateJwk)
  ]);
  const revokedSessions = new RevokedSessions();
  const apiKeyCache = new VerifiedKeyCache(config4.apiKeys.cacheTtl * 1e3);
  const shared = redis && { client: redis, keyPrefix: config4.redisKeyPrefix };
  const revocations = await Revocations.start({ revokedSessions, apiKeyCache, logger }, shared);
  const runtime6 = {
    config: config4,
    db,
    clock,
    logger,
    signingKeys,
    accessTokens: { issuer: config4.jwt.issuer, audience: config4.jwt.audience, ttlSeconds: config4.jwt.accessTokenTtl },
    serverSecret: loadServerSecret(config4.dataDir, config4.serverSecret),
    revokedSessions,
    verifiedAccessTokens: new TtlCache(),
    sessionViews: new TtlCache(),
    userViews: new TtlCache(),
    revocations,
    background,
    mailer: new Mailer(overrides.mailTransport ?? createMailTransport(config4), { from: config4.mail.from, logger, background }),
    oidc: createOidcProvider(config4.oidc, { logger }),
    apiKeyCache,
    tokenEvents: new TokenEventWriter(db, clock, logger),
    limits: createLimits(config4.limits, shared),
    redis,
    flush: () => runtime6.tokenEvents.flush(),
    close: async () => {
      await background.idle();
      await runtime6.tokenEvents.close();
      await db.$disconnect();
      await revocations.close();
      await redis?.quit();
    }
  };
  await loadRecentRevocations(runtime6);
  return runtime6;
}

// src/main.ts
var config3;
try {
  config3 = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
var runtime5 = await createRuntime(config3);
var { server, url } = await listen(createApp(runtime5), config3.port, config3.host);
runtime5.logger.info({ url, graphiql: `${url}/graphql`, database: config3.databaseProvider }, "authgraph is listening");
async function shutdown(signal) {
  runtime5.logger.info({ signal }, "shutting down");
  const drained = await drainServer(server, runtime5.config.shutdownTimeout * 1e3);
  runtime5.logger.info({ drain: drained }, "HTTP server closed");
  await runtime5.mailer.close();
  await runtime5.close();
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));
