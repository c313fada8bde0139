import { runPluginServer } from "plugkit";
import { createApp } from "./app";

// Listens on PORT (3333) and shuts down cleanly on SIGTERM; a configuration error is printed
// with every bad variable named, and the process exits 1.
runPluginServer(() => createApp());
