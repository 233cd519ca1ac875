/**
 * Small shared utilities with no Quarry dependency: progress reporting, the work pool for parallel loops and
 * Quarry's standard paths (cache root). Imports nothing of Quarry's.
 */
package dev.quarry.util;
