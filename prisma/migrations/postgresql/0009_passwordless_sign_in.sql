-- AlterTable
ALTER TABLE "Challenge" ADD COLUMN     "nonceHash" TEXT,
ADD COLUMN     "redirectPath" TEXT,
ALTER COLUMN "userId" DROP NOT NULL;
