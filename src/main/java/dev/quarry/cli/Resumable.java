package dev.quarry.cli;

/**
 * A command that, run again with the same arguments after it was killed, resumes where it stopped (checkpoints,
 * shards, score caches) instead of starting over. {@code bin/quarry} runs such a command again after the JVM crashes
 * in native code; its list of them is checked against the commands implementing this ({@code
 * LauncherCrashRestartTest}), so the two cannot drift apart.
 */
interface Resumable {
}
