-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Challenge" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT,
    "purpose" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "uidHash" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "verifiedAt" DATETIME,
    "consumedAt" DATETIME,
    "resetTokenHash" TEXT,
    "nonceHash" TEXT,
    "redirectPath" TEXT,
    CONSTRAINT "Challenge_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Challenge" ("attempts", "codeHash", "consumedAt", "createdAt", "email", "expiresAt", "id", "purpose", "resetTokenHash", "uidHash", "userId", "verifiedAt") SELECT "attempts", "codeHash", "consumedAt", "createdAt", "email", "expiresAt", "id", "purpose", "resetTokenHash", "uidHash", "userId", "verifiedAt" FROM "Challenge";
DROP TABLE "Challenge";
ALTER TABLE "new_Challenge" RENAME TO "Challenge";
CREATE UNIQUE INDEX "Challenge_uidHash_key" ON "Challenge"("uidHash");
CREATE UNIQUE INDEX "Challenge_resetTokenHash_key" ON "Challenge"("resetTokenHash");
CREATE INDEX "Challenge_userId_purpose_createdAt_idx" ON "Challenge"("userId", "purpose", "createdAt");
CREATE INDEX "Challenge_email_purpose_createdAt_idx" ON "Challenge"("email", "purpose", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
