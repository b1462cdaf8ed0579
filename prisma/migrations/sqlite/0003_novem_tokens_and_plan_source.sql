-- AlterTable
ALTER TABLE "User" ADD COLUMN "planSource" TEXT NOT NULL DEFAULT 'default';

-- AlterTable
ALTER TABLE "Session" ADD COLUMN "secretHash" TEXT;

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN "description" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Session_secretHash_key" ON "Session"("secretHash");
