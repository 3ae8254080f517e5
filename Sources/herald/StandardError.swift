/// stderr as a `TextOutputStream`, for `print(..., to: &err)` in the commands.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandleStderr.write(string)
    }
}
