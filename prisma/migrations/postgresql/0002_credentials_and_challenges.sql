-- AlterTable
ALTER TABLE "User" ADD COLUMN     "googleSubject" TEXT;

-- CreateTable
CREATE TABLE "ServiceAccount" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "role" TEXT NOT NULL DEFAULT 'USER',
    "scopes" TEXT NOT NULL DEFAULT '',
    "plan" TEXT NOT NULL DEFAULT 'FREE',
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" TIMESTAMP(3),

    CONSTRAINT "ServiceAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "scopes" TEXT,
    "secretHash" TEXT NOT NULL,
    "previousSecretHash" TEXT,
    "previousSecretExpiresAt" TIMESTAMP(3),
    "userId" TEXT,
    "serviceAccountId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TokenEvent" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "action" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "operation" TEXT,
    "ip" TEXT,
    "userAgent" TEXT,
    "userId" TEXT,
    "serviceAccountId" TEXT,
    "sessionId" TEXT,
    "apiKeyId" TEXT,

    CONSTRAINT "TokenEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Challenge" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "uidHash" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "verifiedAt" TIMESTAMP(3),
    "consumedAt" TIMESTAMP(3),
    "resetTokenHash" TEXT,

    CONSTRAINT "Challenge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ServiceAccount_name_key" ON "ServiceAccount"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_secretHash_key" ON "ApiKey"("secretHash");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_previousSecretHash_key" ON "ApiKey"("previousSecretHash");

-- CreateIndex
CREATE INDEX "ApiKey_userId_createdAt_id_idx" ON "ApiKey"("userId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ApiKey_serviceAccountId_createdAt_id_idx" ON "ApiKey"("serviceAccountId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "TokenEvent_sessionId_at_id_idx" ON "TokenEvent"("sessionId", "at", "id");

-- CreateIndex
CREATE INDEX "TokenEvent_apiKeyId_at_id_idx" ON "TokenEvent"("apiKeyId", "at", "id");

-- CreateIndex
CREATE INDEX "TokenEvent_userId_at_id_idx" ON "TokenEvent"("userId", "at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Challenge_uidHash_key" ON "Challenge"("uidHash");

-- CreateIndex
CREATE UNIQUE INDEX "Challenge_resetTokenHash_key" ON "Challenge"("resetTokenHash");

-- CreateIndex
CREATE INDEX "Challenge_userId_purpose_createdAt_idx" ON "Challenge"("userId", "purpose", "createdAt");

-- CreateIndex
CREATE INDEX "Challenge_email_purpose_createdAt_idx" ON "Challenge"("email", "purpose", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "User_googleSubject_key" ON "User"("googleSubject");

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_serviceAccountId_fkey" FOREIGN KEY ("serviceAccountId") REFERENCES "ServiceAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Challenge" ADD CONSTRAINT "Challenge_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
