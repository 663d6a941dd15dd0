import { z } from 'zod/v3';
import { CAPA_DEFAULTS } from '../constants';
import { partitionOfRegion } from './aws';
import {
  EXTERNAL_ID,
  EXTERNAL_ID_RULE,
  OIDC_PROVIDER_ID,
  OIDC_PROVIDER_ID_RULE,
} from './rules';
import {
  dnsLabel,
  dnsSubdomain,
  accountId,
  iamName,
  partition,
  optionalText,
  issue,
  checkUnique,
} from './fields';
import { atMost, INPUT_LIMITS } from './limits';

// IAM trust

/** Input of renderIamTrust. @public */
export const iamTrustInputSchema = z
  .object({
    partition: partition().default('aws'),
    manager: z
      .object({
        accountId: accountId(),
        roleName: iamName().default(CAPA_DEFAULTS.controllersRoleName),
        eksOidc: z
          .object({
            region: z.string(),
            providerId: z
              .string()
              .regex(OIDC_PROVIDER_ID, OIDC_PROVIDER_ID_RULE),
            controllerNamespace: dnsLabel().default(
              CAPA_DEFAULTS.controllerNamespace,
            ),
            serviceAccounts: z
              .array(dnsSubdomain())
              .min(1, 'needs at least one service account')
              .default([CAPA_DEFAULTS.controllerServiceAccount]),
          })
          .strict()
          .optional(),
      })
      .strict(),
    tenants: z
      .array(
        z
          .object({
            name: dnsLabel(),
            accountId: accountId(),
            roleName: iamName().default(CAPA_DEFAULTS.controllersRoleName),
            externalId: optionalText(
              z.string().regex(EXTERNAL_ID, EXTERNAL_ID_RULE),
            ),
            fargate: z.boolean().default(false),
          })
          .strict(),
      )
      .min(1, 'needs at least one tenant account')
      .max(
        INPUT_LIMITS.tenantsPerIamTrust,
        atMost(INPUT_LIMITS.tenantsPerIamTrust, 'tenant accounts'),
      ),
  })
  .strict()
  .superRefine((t, ctx) => {
    checkUnique(
      ctx,
      t.tenants,
      x => x.name,
      i => ['tenants', i, 'name'],
      'tenant name',
    );
    checkUnique(
      ctx,
      t.tenants,
      x => `${x.accountId}/${x.roleName}`,
      i => ['tenants', i, 'accountId'],
      'tenant account/role',
    );
    const oidc = t.manager.eksOidc;
    if (oidc && partitionOfRegion(oidc.region) !== t.partition) {
      issue(
        ctx,
        ['manager', 'eksOidc', 'region'],
        `must be a known AWS region of partition "${t.partition}"`,
      );
    }
    if (oidc)
      checkUnique(
        ctx,
        oidc.serviceAccounts,
        s => s,
        i => ['manager', 'eksOidc', 'serviceAccounts', i],
        'service account',
      );
  });

/** @public */
export type IamTrustInput = z.input<typeof iamTrustInputSchema>;
/** @public */
export type ResolvedIamTrustInput = z.output<typeof iamTrustInputSchema>;
