-- AlterTable
ALTER TABLE "User" ADD COLUMN     "deletionDueAt" TIMESTAMP(3),
ADD COLUMN     "disabledUntil" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "TokenEvent" ADD COLUMN     "actorId" TEXT,
ADD COLUMN     "actorType" TEXT,
ADD COLUMN     "detail" TEXT;

-- CreateIndex
CREATE INDEX "TokenEvent_serviceAccountId_at_id_idx" ON "TokenEvent"("serviceAccountId", "at", "id");

-- CreateIndex
CREATE INDEX "TokenEvent_actorId_at_id_idx" ON "TokenEvent"("actorId", "at", "id");

-- CreateIndex
CREATE INDEX "TokenEvent_at_id_idx" ON "TokenEvent"("at", "id");
