// HeraldDaemon: work in progress (see README, Architecture).
