#ifndef C_PROCESS_ARGUMENTS_H
#define C_PROCESS_ARGUMENTS_H

/// The process's argc and argv as the C runtime handed them to the program, captured before
/// main. Swift's CommandLine on Linux reads /proc/self/cmdline, which is missing in a chroot or
/// a container without /proc; these are there whatever is mounted.
int herald_process_argc(void);
char *const *herald_process_argv(void);

#endif
