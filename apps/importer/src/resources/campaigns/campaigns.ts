import type { EntityManager } from 'typeorm';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A campaign is named by its id or its name. */
export async function existingCampaign(m: EntityManager, ownerId: string, idOrName: string): Promise<string | undefined> {
  const [found]: Array<{ id: string }> = await m.query(
    `SELECT "id" FROM "importer"."campaign" WHERE "owner_id" = $1 AND ("name" = $2 OR ($3 AND "id"::text = $2))`,
    [ownerId, idOrName, UUID.test(idOrName)],
  );
  return found?.id;
}

/** Importing into (or generating for) a campaign name that does not exist yet creates it. */
export async function campaignFor(m: EntityManager, ownerId: string, idOrName: string): Promise<string> {
  const found = await existingCampaign(m, ownerId, idOrName);
  if (found) return found;
  const [created]: Array<{ id: string }> = await m.query(
    `INSERT INTO "importer"."campaign" ("owner_id", "name") VALUES ($1, $2)
     ON CONFLICT ("owner_id", "name") DO UPDATE SET "name" = EXCLUDED."name" RETURNING "id"`,
    [ownerId, idOrName],
  );
  return created.id;
}
