-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN "permissions" TEXT;
ALTER TABLE "ApiKey" ADD COLUMN "rateLimit" INTEGER;
ALTER TABLE "ApiKey" ADD COLUMN "rateLimitWindow" INTEGER;
ALTER TABLE "ApiKey" ADD COLUMN "usageLimit" INTEGER;
ALTER TABLE "ApiKey" ADD COLUMN "usageRefill" TEXT;

-- AlterTable
ALTER TABLE "TokenEvent" ADD COLUMN "tags" TEXT;
