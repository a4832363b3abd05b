import { bitbucketCloudFacts } from './bitbucket-cloud-facts.ts';
import { bitbucketDataCenterFacts } from './bitbucket-dc-facts.ts';
import { bitbucketSource } from './bitbucket-source.ts';

export const bitbucketCloudSource = bitbucketSource({ name: 'bitbucket-cloud', idHeader: 'x-request-uuid', idHeaderLabel: 'X-Request-UUID', push: { event: 'repo:push', changes: ['push', 'changes'] }, facts: bitbucketCloudFacts });

export const bitbucketDataCenterSource = bitbucketSource({ name: 'bitbucket-data-center', idHeader: 'x-request-id', idHeaderLabel: 'X-Request-Id', push: { event: 'repo:refs_changed', changes: ['changes'] }, facts: bitbucketDataCenterFacts });
