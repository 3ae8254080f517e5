// HeraldState: work in progress (see README, Architecture).
