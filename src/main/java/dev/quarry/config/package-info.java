/**
 * Reading YAML run configs strictly: {@link dev.quarry.config.ConfigSection} (unknown and duplicate keys, missing
 * required keys and wrong types are errors naming the file and the full key path), paths resolved against the config
 * file ({@link dev.quarry.config.ConfigPaths}) and how values are shown back. Each recipe's loader builds its records
 * from these sections. May import {@code io} only.
 */
package dev.quarry.config;
