-- AlterTable
ALTER TABLE "User" ADD COLUMN "deletionDueAt" DATETIME;
ALTER TABLE "User" ADD COLUMN "disabledUntil" DATETIME;

-- AlterTable
ALTER TABLE "TokenEvent" ADD COLUMN "actorId" TEXT;
ALTER TABLE "TokenEvent" ADD COLUMN "actorType" TEXT;
ALTER TABLE "TokenEvent" ADD COLUMN "detail" TEXT;

-- CreateIndex
CREATE INDEX "TokenEvent_serviceAccountId_at_id_idx" ON "TokenEvent"("serviceAccountId", "at", "id");

-- CreateIndex
CREATE INDEX "TokenEvent_actorId_at_id_idx" ON "TokenEvent"("actorId", "at", "id");

-- CreateIndex
CREATE INDEX "TokenEvent_at_id_idx" ON "TokenEvent"("at", "id");
