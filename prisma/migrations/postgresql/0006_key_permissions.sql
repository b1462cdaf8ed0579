-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "permissions" TEXT,
ADD COLUMN     "rateLimit" INTEGER,
ADD COLUMN     "rateLimitWindow" INTEGER,
ADD COLUMN     "usageLimit" INTEGER,
ADD COLUMN     "usageRefill" TEXT;

-- AlterTable
ALTER TABLE "TokenEvent" ADD COLUMN     "tags" TEXT;
