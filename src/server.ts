import { runPluginServer } from "plugkit";
import { createApp } from "./app";
import { loadConfig } from "./config";

// Listens on PORT and shuts down cleanly on SIGTERM/SIGINT; a configuration error is printed
// with every bad variable named, and the process exits 1.
runPluginServer(() => createApp(loadConfig()));
