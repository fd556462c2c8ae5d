import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { DESK } from '../../platform/auth/roles.js';
import { ctxOf } from '../../platform/http/context.js';
import {
  addressSchema,
  createAddress,
  createAddressSchema,
  deleteAddress,
  listAddresses,
  updateAddress,
  updateAddressSchema,
} from './addresses.service.js';

const customerParams = z.object({ id: z.uuid() });
const addressParams = z.object({ id: z.uuid(), addressId: z.uuid() });
const tags = ['customers'];

/** 送付先 (delivery addresses) of a customer. */
export function addressesRoutes(app: App, { db, clock }: Deps) {
  app.get(
    '/customers/:id/addresses',
    {
      config: { roles: DESK },
      schema: { tags, params: customerParams, response: { 200: z.object({ items: z.array(addressSchema) }) } },
    },
    async (req) => listAddresses(db, ctxOf(req, clock), req.params.id),
  );

  app.post(
    '/customers/:id/addresses',
    {
      config: { roles: DESK },
      schema: { tags, params: customerParams, body: createAddressSchema, response: { 201: addressSchema } },
    },
    async (req, reply) => reply.status(201).send(await createAddress(db, ctxOf(req, clock), req.params.id, req.body)),
  );

  app.patch(
    '/customers/:id/addresses/:addressId',
    {
      config: { roles: DESK },
      schema: { tags, params: addressParams, body: updateAddressSchema, response: { 200: addressSchema } },
    },
    async (req) => updateAddress(db, ctxOf(req, clock), req.params.id, req.params.addressId, req.body),
  );

  app.delete(
    '/customers/:id/addresses/:addressId',
    { config: { roles: DESK }, schema: { tags, params: addressParams } },
    async (req, reply) => {
      await deleteAddress(db, ctxOf(req, clock), req.params.id, req.params.addressId);
      return reply.status(204).send();
    },
  );
}
