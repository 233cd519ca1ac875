/**
 * Reading YAML run configs strictly: {@link dev.quarry.config.ConfigBinder} binds a file to its records with Jackson
 * (a record component per key, its default in {@link dev.quarry.config.ConfigDefault}; unknown and duplicate keys,
 * missing required keys and wrong types are errors naming the file and the full key path), command-line overrides
 * ({@link dev.quarry.config.Overrides}), the {@link dev.quarry.config.RunConfig} contract, paths resolved against the
 * config file ({@link dev.quarry.config.ConfigPaths}) and how values are shown back. May import {@code io} only.
 */
package dev.quarry.config;
