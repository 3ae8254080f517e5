// HeraldCrawlLog: work in progress (see README, Architecture).
