#pragma once
// Background work (rendering, loading, plugin runs, imports) yields the CPU to the thread the
// reader is interacting with: on a two-core workstation a 3D ray cast or a decoder must not make
// the UI thread wait its turn. Lowers the calling thread's priority (Linux: per-thread nice);
// threads and processes it starts afterwards inherit it.
namespace consilium::viewer {

void lower_thread_priority();

}  // namespace consilium::viewer
