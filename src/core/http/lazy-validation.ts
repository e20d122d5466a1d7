import AjvCompiler from '@fastify/ajv-compiler';

type BuildValidator = AjvCompiler.BuildCompilerFromPool;
type RouteDefinition = AjvCompiler.RouteDefinition;

/** What Fastify calls a route's validator with; the ajv function it wraps answers the same. */
interface Validator {
  (data: unknown, context?: unknown): unknown;
  errors?: unknown;
  /** Fastify passes the request as the parent of the root value when this is set (ajv coerces it in place). */
  schemaEnv?: unknown;
}

/**
 * Fastify's own ajv validators, each compiled when its route first validates a request, or by
 * `warmUp()` in the idle time after the server listens, instead of all at once before it listens.
 * Compiling every route's schemas was the largest single part of a warm start (~0.4 s of CPU on
 * the 2-core bench machine, most of bench:startup's "listen" step); the validators are the same
 * functions with the same options, only built later.
 */
export function lazyValidation() {
  const pending = new Set<() => void>();
  // one pool, as Fastify's default: scopes with the same shared schemas share an ajv instance
  const pool = AjvCompiler();
  const buildValidator = ((externalSchemas, options) => {
    const compile = pool(externalSchemas, options);
    return (route: RouteDefinition) => {
      let compiled: Validator | undefined;
      const ensure = (): Validator => {
        if (!compiled) {
          pending.delete(ensure);
          compiled = compile(route) as Validator;
        }
        return compiled;
      };
      const validate: Validator = (data, context) => {
        const fn = ensure();
        const result = fn(data, context);
        validate.errors = fn.errors;
        return result;
      };
      // every ajv function has one: let Fastify hand us the parent so coercion of the root works
      validate.schemaEnv = true;
      pending.add(ensure);
      return validate;
    };
  }) as BuildValidator;

  return {
    /** For Fastify's `schemaController.compilersFactory`. */
    buildValidator,
    /** How many validators are not compiled yet. */
    pendingCount: () => pending.size,
    /**
     * Compiles the validators not yet used, one per turn of the event loop so requests in between
     * wait for one schema at most; the first after a turn too, as it compiles ajv's meta-schema
     * (~25 ms) and the caller is a hook the server's start waits on. Resolves when none is left; a
     * schema ajv refuses throws here.
     */
    async warmUp(): Promise<void> {
      for (const ensure of pending) {
        await new Promise((resolve) => setImmediate(resolve));
        ensure();
      }
    },
    /** Compiles every pending validator now (tests: a bad schema fails the start, as it used to). */
    compileAll(): void {
      for (const ensure of pending) ensure();
    },
  };
}
