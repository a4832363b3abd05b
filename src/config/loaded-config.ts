/**
 * What loadConfig returns: the validated, frozen configuration and each run configuration compiled
 * once (template, git triggers, qualified upstreams and artifact references), ready to dispatch.
 */
import type { ConfigIssue } from '../errors.ts';
import type { CompiledTemplate, TemplateRegistry } from '../render/template-registry.ts';
import type { CompiledGitTrigger } from '../triggers/git-trigger.ts';
import type { Config, RunConfiguration } from './schema.ts';

/** A `valueFrom.runConfigurationRef`, with the upstream's name qualified (`namespace/name`). */
export interface ArtifactRef {
  readonly name: string;
  readonly outputArtifact: string;
  readonly optional: boolean;
}

export interface CompiledRunConfiguration {
  /** `namespace/name`. */
  readonly key: string;
  readonly spec: RunConfiguration;
  readonly template: CompiledTemplate;
  readonly gitTriggers: readonly CompiledGitTrigger[];
  /** Qualified keys of `triggers.runConfigurations`, deduplicated, in order. */
  readonly upstreams: readonly string[];
  readonly artifactRefs: readonly ArtifactRef[];
}

export interface LoadedConfig {
  /** Deep-frozen. Every file and directory path in it is absolute (resolved against baseDir). */
  readonly config: Config;
  /** The configuration file, absolute (or the name given to loadConfigText). */
  readonly file: string;
  /** The directory relative paths in the file are resolved against. */
  readonly baseDir: string;
  readonly templates: TemplateRegistry;
  readonly runConfigurations: readonly CompiledRunConfiguration[];
  /** Problems that do not stop runbridge (e.g. a run configuration without triggers). */
  readonly warnings: readonly ConfigIssue[];
}
